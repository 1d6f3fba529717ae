/* "DLMS Workbench.exe": the Windows launcher the Start-menu shortcut and the .wbcap association
 * run. It exists to give the program an executable of its own, carrying the icon, the version
 * resource and (when the build is given a certificate) an Authenticode signature; the PSF-signed
 * pythonw.exe cannot carry ours. It runs
 *     "<its folder>\Python\pythonw.exe" "<its folder>\DLMS_Workbench.launch.pyw" <its arguments>
 * waits for it and returns its exit code. GUI subsystem: no console window. Written for this
 * project; built by packaging/build-installer.sh with mingw-w64.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wchar.h>

#define PYTHONW L"Python\\pythonw.exe"
#define SCRIPT L"DLMS_Workbench.launch.pyw"

static void complain(const wchar_t *what, const wchar_t *path)
{
    wchar_t text[2 * MAX_PATH + 200];
    _snwprintf(text, sizeof text / sizeof *text,
               L"DLMS Workbench could not start: %ls\n%ls\n(error %lu)\n\nReinstalling it should help.",
               what, path, GetLastError());
    text[sizeof text / sizeof *text - 1] = 0;
    MessageBoxW(NULL, text, L"DLMS Workbench", MB_OK | MB_ICONERROR);
}

/* The command line after argv[0], as Windows parses argv[0] (quotes, no escapes). */
static const wchar_t *arguments(const wchar_t *cmd)
{
    if (*cmd == L'"') {
        cmd++;
        while (*cmd && *cmd != L'"') cmd++;
        if (*cmd) cmd++;
    } else {
        while (*cmd && *cmd != L' ' && *cmd != L'\t') cmd++;
    }
    while (*cmd == L' ' || *cmd == L'\t') cmd++;
    return cmd;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR unused, int show)
{
    (void)instance; (void)previous; (void)unused; (void)show;
    wchar_t dir[MAX_PATH], python[MAX_PATH + 32], script[MAX_PATH + 32];
    DWORD n = GetModuleFileNameW(NULL, dir, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) {
        complain(L"its own path is too long", L"");
        return 1;
    }
    wchar_t *slash = wcsrchr(dir, L'\\');
    if (slash != NULL) *slash = 0;
    _snwprintf(python, sizeof python / sizeof *python, L"%ls\\%ls", dir, PYTHONW);
    _snwprintf(script, sizeof script / sizeof *script, L"%ls\\%ls", dir, SCRIPT);
    python[sizeof python / sizeof *python - 1] = script[sizeof script / sizeof *script - 1] = 0;

    const wchar_t *args = arguments(GetCommandLineW());
    size_t size = wcslen(python) + wcslen(script) + wcslen(args) + 8;
    wchar_t *cmd = HeapAlloc(GetProcessHeap(), 0, size * sizeof *cmd);
    if (cmd == NULL) return 1;
    _snwprintf(cmd, size, L"\"%ls\" \"%ls\" %ls", python, script, args);
    cmd[size - 1] = 0;

    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(python, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        complain(L"cannot run", python);
        return 1;
    }
    CloseHandle(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    return (int)code;
}
