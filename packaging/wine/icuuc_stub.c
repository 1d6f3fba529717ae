/* TEST-ONLY stand-in for Windows' system icuuc.dll, for running the installed app under wine 8
 * (which has no icuuc.dll). Never shipped: packaging/wine/build-dlls.sh builds it into the
 * throwaway WINEPREFIX of packaging/check-wine-app.sh only.
 *
 * Qt6Core.dll imports exactly these 20 symbols (x86_64-w64-mingw32-objdump -p Qt6Core.dll).
 * Qt uses ICU converters only for codecs it does not implement itself (UTF-8/16/32 and Latin-1
 * are its own), so a converter library with no converters is enough: ucnv_open always fails
 * with U_FILE_ACCESS_ERROR, ucnv_countAvailable says 0, and the rest are never reached with a
 * real converter. Signatures follow ICU's unicode/ucnv.h (C calling convention; on x64 there is
 * only one). Written for this project; no ICU code. Built with -nostdlib: no imports at all.
 */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;            /* ICU's enum UErrorCode */
typedef int8_t UBool;
typedef uint16_t UChar;
typedef struct UConverter UConverter;
typedef void (*UConverterCallback)(void);   /* the two callback types, opaque here */

#define U_ZERO_ERROR 0
#define U_FILE_ACCESS_ERROR 4      /* "the requested file cannot be found": no converter data */
#define U_INVALID_STATE_ERROR 27

#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *err, UErrorCode code)
{
    if (err != NULL && *err <= U_ZERO_ERROR)   /* ICU: never overwrite an earlier failure */
        *err = code;
}

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *err)
{
    (void)name;
    fail(err, U_FILE_ACCESS_ERROR);
    return NULL;
}

EXPORT void ucnv_close(UConverter *cnv) { (void)cnv; }
EXPORT void ucnv_reset(UConverter *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *cnv) { (void)cnv; return 1; }

EXPORT const char *ucnv_getName(const UConverter *cnv, UErrorCode *err)
{
    (void)cnv;
    fail(err, U_INVALID_STATE_ERROR);
    return NULL;
}

EXPORT void ucnv_getToUCallBack(const UConverter *cnv, UConverterCallback *action,
                                const void **context)
{
    (void)cnv;
    if (action != NULL) *action = NULL;
    if (context != NULL) *context = NULL;
}

EXPORT void ucnv_getFromUCallBack(const UConverter *cnv, UConverterCallback *action,
                                  const void **context)
{
    ucnv_getToUCallBack(cnv, action, context);
}

EXPORT void ucnv_setToUCallBack(UConverter *cnv, UConverterCallback action, const void *context,
                                UConverterCallback *old_action, const void **old_context,
                                UErrorCode *err)
{
    (void)action; (void)context; (void)err;
    ucnv_getToUCallBack(cnv, old_action, old_context);
}

EXPORT void ucnv_setFromUCallBack(UConverter *cnv, UConverterCallback action,
                                  const void *context, UConverterCallback *old_action,
                                  const void **old_context, UErrorCode *err)
{
    ucnv_setToUCallBack(cnv, action, context, old_action, old_context, err);
}

EXPORT void ucnv_toUnicode(UConverter *cnv, UChar **target, const UChar *target_limit,
                           const char **source, const char *source_limit, int32_t *offsets,
                           UBool flush, UErrorCode *err)
{
    (void)cnv; (void)target; (void)target_limit; (void)source; (void)source_limit;
    (void)offsets; (void)flush;
    fail(err, U_INVALID_STATE_ERROR);
}

EXPORT void ucnv_fromUnicode(UConverter *cnv, char **target, const char *target_limit,
                             const UChar **source, const UChar *source_limit, int32_t *offsets,
                             UBool flush, UErrorCode *err)
{
    (void)cnv; (void)target; (void)target_limit; (void)source; (void)source_limit;
    (void)offsets; (void)flush;
    fail(err, U_INVALID_STATE_ERROR);
}

EXPORT int32_t ucnv_toUCountPending(const UConverter *cnv, UErrorCode *err)
{
    (void)cnv; (void)err;
    return 0;
}

EXPORT int32_t ucnv_fromUCountPending(const UConverter *cnv, UErrorCode *err)
{
    (void)cnv; (void)err;
    return 0;
}

EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length,
                                  int32_t offset_index, UErrorCode *err)
{
    (void)args; (void)source; (void)length; (void)offset_index;
    fail(err, U_INVALID_STATE_ERROR);
}

EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *source_limit,
                                    int32_t offset_index, UErrorCode *err)
{
    (void)args; (void)source; (void)source_limit; (void)offset_index;
    fail(err, U_INVALID_STATE_ERROR);
}

EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{
    (void)name; (void)standard; (void)err;
    return NULL;
}

EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }

/* The standard substitute callbacks: Qt only passes their addresses to ucnv_set*CallBack. */
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const UChar *code_units,
                                            int32_t length, int32_t code_point, int reason,
                                            UErrorCode *err)
{
    (void)context; (void)args; (void)code_units; (void)length; (void)code_point; (void)reason;
    (void)err;
}

EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const char *code_units,
                                          int32_t length, int reason, UErrorCode *err)
{
    (void)context; (void)args; (void)code_units; (void)length; (void)reason; (void)err;
}
