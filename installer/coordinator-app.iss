; Inno Setup script: the coordinator's installer. Per user by default, with no question and no
; administrator rights (into %LOCALAPPDATA%\Programs); per machine only when asked for on the
; command line with /ALLUSERS (then into Program Files, for every user, which needs an
; administrator). Silent switches for IT: docs/it-deployment.md.
;
; Built by installer/build.py --setup, which passes the version (coordinator_app.__version__,
; the one number every artefact carries: installer/version.py) and, when a certificate is
; given, the sign tool:
;   iscc /DAppVersion=1.2.0 /DAppVersionNumeric=1.2.0.0 /DBundleDir=...\InvolvementCoordinator
;        /O<output folder> [/DSignTool=coordsign "/Scoordsign=python installer\sign.py $f"]
;        installer\coordinator-app.iss

#ifndef AppVersion
  #error Build with installer\build.py --setup, which passes /DAppVersion and /DAppVersionNumeric.
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\InvolvementCoordinator"
#endif
#define AppName "Involvement Coordinator"

[Setup]
AppId={{6C1F6A57-2B0E-4C55-9E0B-6E2B7D4D3A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Involvement Coordinator
; {autopf} is %LOCALAPPDATA%\Programs for a per-user install and Program Files for /ALLUSERS.
DefaultDirName={autopf}\InvolvementCoordinator
DefaultGroupName={#AppName}
DisableDirPage=yes
DisableProgramGroupPage=yes
; No question about "me or everyone": per user unless the command line says /ALLUSERS.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=InvolvementCoordinator-{#AppVersion}-setup
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\coordinator-app.exe
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An open copy of the app is closed before its files are replaced, and started again after.
CloseApplications=yes
RestartApplications=no
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[InstallDelete]
; An upgrade clears the old program files first: a file an older version had and this one has
; not (a migration, say) must not be left behind. Only the program's own folder: the data lives
; in %LOCALAPPDATA%\InvolvementCoordinator (never under {app}) and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
; IT's presets (docs/it-deployment.md): /POLICY="\\server\share\policy.ini" copies that file
; beside the program, where the app reads it.
Source: "{param:POLICY|}"; DestDir: "{app}"; DestName: "policy.ini"; Flags: external skipifsourcedoesntexist; Check: PolicyGiven

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\coordinator-app.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\coordinator-app.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\coordinator-app.exe"; Description: "Open {#AppName} now"; Flags: nowait postinstall skipifsilent

; The data lives in %LOCALAPPDATA%\InvolvementCoordinator and is never touched by the
; uninstaller: records survive an uninstall or an upgrade.

[Code]
function PolicyGiven: Boolean;
begin
  Result := ExpandConstant('{param:POLICY|}') <> '';
end;
