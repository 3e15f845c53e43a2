#!/bin/sh
# Add Involvement Coordinator to this user's applications menu (no root needed).
# Run from the unpacked tarball: ./install-linux.sh   (undo: ./install-linux.sh --remove)
# The records live in ~/.local/share/InvolvementCoordinator and are never touched here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$apps/involvement-coordinator.desktop" "$icons/involvement-coordinator.png"
    echo "Removed the menu entry (your records are untouched)."
    exit 0
fi
mkdir -p "$apps" "$icons"
cp "$here/app-256.png" "$icons/involvement-coordinator.png"
# The menu entry must name the program by its full path: the bundle is not on PATH.
sed -e "s|^Exec=.*|Exec=\"$here/coordinator-app\"|" -e "s|^TryExec=.*|TryExec=$here/coordinator-app|" \
    "$here/involvement-coordinator.desktop" > "$apps/involvement-coordinator.desktop"
echo "Added Involvement Coordinator to your applications menu."
