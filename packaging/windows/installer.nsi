[# NSIS template for DLMS Workbench: extends pynsist's pyapp.nsi. Per-user install without UAC,
   a clean pkgs/ on upgrade, the "DLMS Workbench.exe" launcher (icon, version resource,
   signature) behind the Start-menu shortcut and the .wbcap association, a version resource on
   the installer, licence and uninstall-confirmation pages. User data (settings, connection
   profiles, recordings) lives outside $INSTDIR and is never touched by install, upgrade or
   uninstall. It is Jinja2 with pynsist's square-bracket delimiters; build-installer.sh copies it
   next to the rendered cfg and passes -DVI_VERSION=X.Y.Z.W to makensis. #]
[% extends "pyapp.nsi" %]

[% block modernui %]
[# pyapp.nsi hard-codes MULTIUSER_EXECUTIONLEVEL Highest, which prompts administrators for UAC;
   the last RequestExecutionLevel wins, so this makes it a plain per-user install. #]
RequestExecutionLevel user
!define LAUNCHER "DLMS Workbench.exe"
!define USER_DATA_TEXT "Your settings, connection profiles and recordings are kept: they are in \
  %LOCALAPPDATA%\dlms-workbench and, for the settings, in the registry under \
  HKEY_CURRENT_USER\Software\DLMS Workbench. Delete them yourself if you no longer want them."
!define MUI_UNCONFIRMPAGE_TEXT_TOP "This removes the program, its Start-menu shortcut and the \
  .wbcap file association. ${USER_DATA_TEXT}"
[[ super() ]]
!ifndef VI_VERSION
  !error "build-installer.sh passes -DVI_VERSION=X.Y.Z.W"
!endif
; Version resource: Properties > Details of the setup program.
VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${PRODUCT_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "DLMS Workbench developers"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT_NAME} ${PRODUCT_VERSION} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${PRODUCT_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Copyright (c) 2026 DLMS Workbench developers (MIT License)"

; After the section (and its compileall) has run: "Apps & features" shows the real installed
; size (KB) and the launcher's icon.
Function .onInstSuccess
  SetRegView 64
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_NAME}" \
    "EstimatedSize" "$0"
  WriteRegStr SHCTX "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_NAME}" \
    "DisplayIcon" "$INSTDIR\${LAUNCHER},0"
  WriteRegStr SHCTX "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_NAME}" \
    "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
FunctionEnd
[% endblock modernui %]

[% block ui_pages %]
[[ super() ]]
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
[% endblock ui_pages %]

[% block install_pkgs %]
  ; Every file of this version replaces the old one whatever its date (pyapp.nsi says ifnewer).
  SetOverwrite on
  ; An upgrade must not keep modules, or licence texts of components, that the new version no
  ; longer ships.
  RMDir /r "$INSTDIR\pkgs"
  RMDir /r "$INSTDIR\licenses"
  [[ super() ]]
[% endblock install_pkgs %]

[% block install_files %]
[[ super() ]]
  SetOutPath "$INSTDIR"
  File "${LAUNCHER}"
  ; The directory page's "Space required" counts the files above; compileall adds the .pyc
  ; files (build-installer.sh measures them as PYC_KB).
  AddSize ${PYC_KB}
[% endblock install_files %]

[% block install_shortcuts %]
  ; The shortcut runs the launcher, which runs Python\pythonw.exe DLMS_Workbench.launch.pyw;
  ; it starts in the user's profile folder.
  SetOutPath "$PROFILE"
  CreateShortCut "$SMPROGRAMS\${PRODUCT_NAME}.lnk" "$INSTDIR\${LAUNCHER}" "" \
    "$INSTDIR\${LAUNCHER}" 0 SW_SHOWNORMAL "" "${PRODUCT_NAME}: DLMS/COSEM meter workbench"
  SetOutPath "$INSTDIR"
  ; Double-clicking a .wbcap capture opens it in the workbench (argv[1] of the launcher).
  WriteRegStr SHCTX "Software\Classes\.wbcap" "" "DLMSWorkbench.wbcap"
  WriteRegStr SHCTX "Software\Classes\DLMSWorkbench.wbcap" "" "DLMS Workbench capture"
  WriteRegStr SHCTX "Software\Classes\DLMSWorkbench.wbcap\DefaultIcon" "" "$INSTDIR\${PRODUCT_ICON}"
  WriteRegStr SHCTX "Software\Classes\DLMSWorkbench.wbcap\shell\open\command" "" \
    '"$INSTDIR\${LAUNCHER}" "%1"'
  ; SHCNE_ASSOCCHANGED: let Explorer pick up the new association without a logoff.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
[% endblock install_shortcuts %]

[% block uninstall_files %]
[[ super() ]]
  Delete "$INSTDIR\${LAUNCHER}"
  ; The launcher's own output log under pythonw (not user data).
  Delete "$APPDATA\DLMS_Workbench.launch.pyw.log"
  DetailPrint "${USER_DATA_TEXT}"
[% endblock uninstall_files %]

[% block uninstall_shortcuts %]
[[ super() ]]
  ; Remove .wbcap only while it still points at us (another program may have taken it over).
  ReadRegStr $0 SHCTX "Software\Classes\.wbcap" ""
  StrCmp $0 "DLMSWorkbench.wbcap" 0 +2
    DeleteRegKey SHCTX "Software\Classes\.wbcap"
  DeleteRegKey SHCTX "Software\Classes\DLMSWorkbench.wbcap"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
[% endblock uninstall_shortcuts %]
