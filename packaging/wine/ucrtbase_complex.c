/* TEST-ONLY proxy ucrtbase.dll for running the installed app under wine 8. Never shipped:
 * packaging/wine/build-dlls.sh builds it into the throwaway WINEPREFIX of
 * packaging/check-wine-app.sh only.
 *
 * wine 8's ucrtbase.dll exports the C99 complex-math functions of Microsoft's <complex.h> but
 * leaves 79 of them as stubs that abort the process ("Unimplemented function
 * ucrtbase.dll.crealf"); numpy calls some on import. This DLL implements those 79 and forwards
 * every other export to a copy of wine's own ucrtbase.dll saved as ucrtbase_wine.dll (the
 * forwarders are in the .def that make_proxy_def.py generates from that DLL's export table,
 * so they follow the installed wine version). Written for this project; the arithmetic is
 * mingw-w64's libm.
 *
 * Microsoft's ABI: _Dcomplex is struct { double _Val[2]; } (16 bytes: passed by reference and
 * returned through a hidden pointer), _Fcomplex is struct { float _Val[2]; } (8 bytes: passed
 * and returned in an integer register) and, since MSVC's long double is a double, _Lcomplex is
 * laid out like _Dcomplex and the *l functions take and return doubles. Declaring them with
 * those structs makes mingw's gcc (which follows the Microsoft x64 ABI) do the same.
 */
#include <complex.h>
#include <math.h>

typedef struct { double v[2]; } dcx;   /* _Dcomplex, and _Lcomplex (long double == double) */
typedef struct { float v[2]; } fcx;    /* _Fcomplex */

/* Each function is defined as wb_<name> (libm's own cacos etc. are what they call) and exported
 * as <name> by the generated .def (`cacos=wb_cacos`); make_proxy_def.py takes the list of
 * wb_ symbols from this object file, so this file is the one list of what is implemented. */
#define EXPORT

static double _Complex d_in(dcx z) { return __builtin_complex(z.v[0], z.v[1]); }
static float _Complex f_in(fcx z) { return __builtin_complex(z.v[0], z.v[1]); }
static dcx d_out(double _Complex z) { dcx r = {{creal(z), cimag(z)}}; return r; }
static fcx f_out(float _Complex z) { fcx r = {{crealf(z), cimagf(z)}}; return r; }

static double _Complex my_clog10(double _Complex z) { return clog(z) / M_LN10; }
static float _Complex my_clog10f(float _Complex z) { return clogf(z) / (float)M_LN10; }

/* name(z) -> complex, in the double, float and "long double" (= double) flavours. */
#define UNARY(name, dfn, ffn)                                                    \
    EXPORT dcx wb_##name(dcx z) { return d_out(dfn(d_in(z))); }                  \
    EXPORT fcx wb_##name##f(fcx z) { return f_out(ffn(f_in(z))); }               \
    EXPORT dcx wb_##name##l(dcx z) { return d_out(dfn(d_in(z))); }

UNARY(cacos, cacos, cacosf)
UNARY(cacosh, cacosh, cacoshf)
UNARY(casin, casin, casinf)
UNARY(casinh, casinh, casinhf)
UNARY(catan, catan, catanf)
UNARY(catanh, catanh, catanhf)
UNARY(ccos, ccos, ccosf)
UNARY(ccosh, ccosh, ccoshf)
UNARY(cexp, cexp, cexpf)
UNARY(clog, clog, clogf)
UNARY(clog10, my_clog10, my_clog10f)
UNARY(conj, conj, conjf)
UNARY(cproj, cproj, cprojf)
UNARY(csin, csin, csinf)
UNARY(csinh, csinh, csinhf)
UNARY(csqrt, csqrt, csqrtf)
UNARY(ctan, ctan, ctanf)
UNARY(ctanh, ctanh, ctanhf)

/* name(z) -> real. creal is implemented by wine itself (crealf and creall are not). */
EXPORT double wb_cabs(dcx z) { return hypot(z.v[0], z.v[1]); }
EXPORT float wb_cabsf(fcx z) { return hypotf(z.v[0], z.v[1]); }
EXPORT double wb_cabsl(dcx z) { return hypot(z.v[0], z.v[1]); }
EXPORT double wb_carg(dcx z) { return atan2(z.v[1], z.v[0]); }
EXPORT float wb_cargf(fcx z) { return atan2f(z.v[1], z.v[0]); }
EXPORT double wb_cargl(dcx z) { return atan2(z.v[1], z.v[0]); }
EXPORT double wb_cimag(dcx z) { return z.v[1]; }
EXPORT float wb_cimagf(fcx z) { return z.v[1]; }
EXPORT double wb_cimagl(dcx z) { return z.v[1]; }
EXPORT float wb_crealf(fcx z) { return z.v[0]; }
EXPORT double wb_creall(dcx z) { return z.v[0]; }
EXPORT double wb_norm(dcx z) { return z.v[0] * z.v[0] + z.v[1] * z.v[1]; }
EXPORT float wb_normf(fcx z) { return z.v[0] * z.v[0] + z.v[1] * z.v[1]; }
EXPORT double wb_norml(dcx z) { return z.v[0] * z.v[0] + z.v[1] * z.v[1]; }

EXPORT dcx wb_cpow(dcx x, dcx y) { return d_out(cpow(d_in(x), d_in(y))); }
EXPORT fcx wb_cpowf(fcx x, fcx y) { return f_out(cpowf(f_in(x), f_in(y))); }
EXPORT dcx wb_cpowl(dcx x, dcx y) { return d_out(cpow(d_in(x), d_in(y))); }

/* Microsoft's helpers for code without a complex type. _Cbuild is implemented by wine. */
EXPORT fcx wb__FCbuild(float re, float im) { fcx r = {{re, im}}; return r; }
EXPORT dcx wb__LCbuild(double re, double im) { dcx r = {{re, im}}; return r; }
EXPORT dcx wb__Cmulcc(dcx x, dcx y) { return d_out(d_in(x) * d_in(y)); }
EXPORT fcx wb__FCmulcc(fcx x, fcx y) { return f_out(f_in(x) * f_in(y)); }
EXPORT dcx wb__LCmulcc(dcx x, dcx y) { return d_out(d_in(x) * d_in(y)); }
EXPORT dcx wb__Cmulcr(dcx x, double y) { dcx r = {{x.v[0] * y, x.v[1] * y}}; return r; }
EXPORT fcx wb__FCmulcr(fcx x, float y) { fcx r = {{x.v[0] * y, x.v[1] * y}}; return r; }
EXPORT dcx wb__LCmulcr(dcx x, double y) { dcx r = {{x.v[0] * y, x.v[1] * y}}; return r; }
