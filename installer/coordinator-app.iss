; Inno Setup script: a per-user install that needs no administrator rights.
; Build the bundle first (python installer\build.py), then: iscc installer\coordinator-app.iss

#define AppName "Involvement Coordinator"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C1F6A57-2B0E-4C55-9E0B-6E2B7D4D3A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Involvement Coordinator
DefaultDirName={localappdata}\Programs\InvolvementCoordinator
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=InvolvementCoordinator-{#AppVersion}-setup
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\coordinator-app.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\dist\InvolvementCoordinator\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\coordinator-app.exe"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\coordinator-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\coordinator-app.exe"; Description: "Open {#AppName} now"; Flags: nowait postinstall skipifsilent

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

; The data lives in %LOCALAPPDATA%\InvolvementCoordinator and is never touched by the
; uninstaller: records survive an uninstall or an upgrade.
