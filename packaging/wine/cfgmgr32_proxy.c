/* TEST-ONLY proxy cfgmgr32.dll for running the installed app under wine 8. Never shipped:
 * packaging/wine/build-dlls.sh builds it into the throwaway WINEPREFIX of
 * packaging/check-wine-app.sh only.
 *
 * pyserial's port enumeration (serial.tools.list_ports_windows) looks up CM_MapCrToWin32Err in
 * cfgmgr32.dll when it is imported; wine 8's cfgmgr32 does not export it, so the import fails
 * with AttributeError. This DLL implements it and forwards every other export to a copy of wine's
 * own cfgmgr32 saved as cfgmgr32_wine.dll (the .def comes from make_proxy_def.py).
 * Signature as documented by Microsoft: DWORD CM_MapCrToWin32Err(CONFIGRET cr, DWORD default).
 * Written for this project.
 */
typedef unsigned long DWORD;

DWORD wb_CM_MapCrToWin32Err(DWORD cr, DWORD default_error)
{
    switch (cr) {
    case 0x00: return 0;      /* CR_SUCCESS -> ERROR_SUCCESS */
    case 0x02: return 8;      /* CR_OUT_OF_MEMORY -> ERROR_NOT_ENOUGH_MEMORY */
    case 0x03: return 1784;   /* CR_INVALID_POINTER -> ERROR_INVALID_USER_BUFFER */
    case 0x04: return 1004;   /* CR_INVALID_FLAG -> ERROR_INVALID_FLAGS */
    case 0x05:                /* CR_INVALID_DEVNODE */
    case 0x0D:                /* CR_NO_SUCH_DEVNODE */
    case 0x1E:                /* CR_INVALID_DEVICE_ID */
    case 0x25:                /* CR_NO_SUCH_VALUE */
    case 0x2E: return 2;      /* CR_NO_SUCH_REGISTRY_KEY -> ERROR_FILE_NOT_FOUND */
    case 0x1A: return 122;    /* CR_BUFFER_SMALL -> ERROR_INSUFFICIENT_BUFFER */
    case 0x1F: return 13;     /* CR_INVALID_DATA -> ERROR_INVALID_DATA */
    case 0x33: return 5;      /* CR_ACCESS_DENIED -> ERROR_ACCESS_DENIED */
    case 0x34: return 120;    /* CR_CALL_NOT_IMPLEMENTED -> ERROR_CALL_NOT_IMPLEMENTED */
    case 0x35: return 87;     /* CR_INVALID_PROPERTY -> ERROR_INVALID_PARAMETER */
    default: return default_error;
    }
}
