"""The Qt face of the app: windows, table models, dialogs and printing over core services."""
