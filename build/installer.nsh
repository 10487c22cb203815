; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; NSIS registers no URL protocol, and the app's own registration at start writes HKCU only, so
; a per-machine install would leave other users' sign-in redirects with nowhere to go.
; SHELL_CONTEXT is HKLM for per-machine installs and HKCU for per-user ones.

!define CHARTDESK_PROTOCOL "org.chartdesk.desktop"

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CHARTDESK_PROTOCOL}" "" "URL:ChartDesk sign-in and EHR launch"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CHARTDESK_PROTOCOL}" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CHARTDESK_PROTOCOL}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CHARTDESK_PROTOCOL}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller first; keep the handler, the new version rewrites it.
  ${ifNot} ${isUpdated}
    DeleteRegKey SHELL_CONTEXT "Software\Classes\${CHARTDESK_PROTOCOL}"
  ${endIf}
!macroend
