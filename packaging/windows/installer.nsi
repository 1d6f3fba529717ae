[# NSIS template for DLMS Workbench: extends pynsist's pyapp.nsi. Per-user install without UAC,
   a clean pkgs/ on upgrade, and the .wbcap capture file association. It is Jinja2 with
   pynsist's square-bracket delimiters; build-installer.sh copies it next to the rendered cfg. #]
[% extends "pyapp.nsi" %]

[% block modernui %]
[# pyapp.nsi hard-codes MULTIUSER_EXECUTIONLEVEL Highest, which prompts administrators for UAC;
   the last RequestExecutionLevel wins, so this makes it a plain per-user install. #]
RequestExecutionLevel user
[[ super() ]]
[% endblock modernui %]

[% block install_pkgs %]
  ; An upgrade must not keep modules that the new version no longer ships.
  RMDir /r "$INSTDIR\pkgs"
  [[ super() ]]
[% endblock install_pkgs %]

[% block install_shortcuts %]
[[ super() ]]
  ; Double-clicking a .wbcap capture opens it in the workbench (argv[1] of the launcher).
  WriteRegStr SHCTX "Software\Classes\.wbcap" "" "DLMSWorkbench.wbcap"
  WriteRegStr SHCTX "Software\Classes\DLMSWorkbench.wbcap" "" "DLMS Workbench capture"
  WriteRegStr SHCTX "Software\Classes\DLMSWorkbench.wbcap\DefaultIcon" "" "$INSTDIR\${PRODUCT_ICON}"
  WriteRegStr SHCTX "Software\Classes\DLMSWorkbench.wbcap\shell\open\command" "" \
    '"$INSTDIR\Python\pythonw.exe" "$INSTDIR\DLMS_Workbench.launch.pyw" "%1"'
  ; SHCNE_ASSOCCHANGED: let Explorer pick up the new association without a logoff.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
[% endblock install_shortcuts %]

[% block uninstall_shortcuts %]
[[ super() ]]
  ; Remove .wbcap only while it still points at us (another program may have taken it over).
  ReadRegStr $0 SHCTX "Software\Classes\.wbcap" ""
  StrCmp $0 "DLMSWorkbench.wbcap" 0 +2
    DeleteRegKey SHCTX "Software\Classes\.wbcap"
  DeleteRegKey SHCTX "Software\Classes\DLMSWorkbench.wbcap"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
[% endblock uninstall_shortcuts %]
