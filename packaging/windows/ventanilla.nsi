; Ventanilla's Windows installer, built by `./dev package` with Debian's makensis:
;   makensis -DVERSION=0.1.0 -DBINARIES=DIR -DOUTFILE=FILE [-DAPP] ventanilla.nsi
; It installs for the current user only (no administrator rights) into
; %LOCALAPPDATA%\Programs\Ventanilla, adds a Start-menu folder and an entry in
; "Aplicaciones instaladas", and never touches the data folder (%APPDATA%), so that
; installing over an older version or uninstalling keeps every business.
; APP is defined when the window app (ventanilla-app.exe) was cross-built too.

; A 64-bit installer, like the programs it carries.
Target amd64-unicode
RequestExecutionLevel user
SetCompressor /SOLID lzma
ManifestDPIAware true

!include "LogicLib.nsh"
!include "MUI2.nsh"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Ventanilla"
; The WebView2 Evergreen runtime's client id: its installed version is this key's "pv".
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "Ventanilla ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Ventanilla"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "Ventanilla ${VERSION} · Alcaldía Benito Juárez"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Ventanilla"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Instalador de Ventanilla"
VIAddVersionKey /LANG=0 "LegalCopyright" "MPL-2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Spanish"

!ifdef APP
; The window is drawn by WebView2; without it the app could not open, so say what to
; install instead of installing something that fails on first start.
Function .onInit
  ReadRegStr $0 HKCU "Software\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    MessageBox MB_OK|MB_ICONSTOP "Ventanilla necesita Microsoft Edge WebView2 Runtime, que no está instalado en esta computadora. Windows 10 y 11 lo traen; si falta, instálalo desde https://developer.microsoft.com/microsoft-edge/webview2/ (Evergreen Bootstrapper) y vuelve a abrir este instalador.$\r$\n$\r$\nVentanilla needs the Microsoft Edge WebView2 Runtime, which is not installed on this computer. Install it from the address above, then run this installer again." /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
FunctionEnd
!endif

Section "Ventanilla"
  SetOutPath "$INSTDIR"
  File "${BINARIES}\ventanilla.exe"
  File "${BINARIES}\ventanilla-server.exe"
  CreateDirectory "$SMPROGRAMS\Ventanilla"
!ifdef APP
  File "${BINARIES}\ventanilla-app.exe"
  ; A windows-gnu build links WebView2's loader as a DLL beside it (webview2-com ships it).
  File "${BINARIES}\WebView2Loader.dll"
  CreateShortcut "$SMPROGRAMS\Ventanilla\Ventanilla.lnk" "$INSTDIR\ventanilla-app.exe"
!endif
  ; The command line, in a console that finds `ventanilla` without touching the PATH.
  CreateShortcut "$SMPROGRAMS\Ventanilla\Ventanilla (línea de comandos).lnk" \
    "$SYSDIR\cmd.exe" '/K "set PATH=$INSTDIR;%PATH% && ventanilla --help"' "$SYSDIR\cmd.exe"
  WriteUninstaller "$INSTDIR\Desinstalar Ventanilla.exe"
  CreateShortcut "$SMPROGRAMS\Ventanilla\Desinstalar Ventanilla.lnk" "$INSTDIR\Desinstalar Ventanilla.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Ventanilla"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Alcaldía Benito Juárez"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Desinstalar Ventanilla.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Desinstalar Ventanilla.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; The programs only: the businesses in %APPDATA% stay for a later install.
Section "Uninstall"
  Delete "$INSTDIR\ventanilla.exe"
  Delete "$INSTDIR\ventanilla-server.exe"
  Delete "$INSTDIR\ventanilla-app.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\Desinstalar Ventanilla.exe"
  RMDir "$INSTDIR"
  RMDir /r "$SMPROGRAMS\Ventanilla"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
