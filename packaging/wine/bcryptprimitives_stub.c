/* TEST-ONLY stand-in for Windows' bcryptprimitives.dll, for running the installed app under
 * wine 8 (which has no bcryptprimitives.dll). Never shipped: packaging/wine/build-dlls.sh builds
 * it into the throwaway WINEPREFIX of packaging/check-wine-app.sh only.
 *
 * cryptography's Rust extension (_rust.pyd) imports exactly one function from it: ProcessPrng,
 * which Rust's standard library uses for random bytes on Windows 10 and later. Here it draws them
 * from BCryptGenRandom (the system-preferred RNG; wine implements it). Signature as documented by
 * Microsoft: BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData), always TRUE on Windows.
 * Written for this project; built with -nostdlib, importing only bcrypt.dll.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {   /* BCryptGenRandom takes a ULONG count */
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
