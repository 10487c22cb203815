#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so that the
# keychain tests use the real OS Secret Service without touching the user's own keyring.
set -euo pipefail
# macOS and Windows keychains need no session bus: run the command as it is.
[[ "$(uname)" == Linux ]] || exec "$@"
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session and gnome-keyring-daemon are needed (apt-get install dbus gnome-keyring)." >&2
  exit 1
fi
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
  # An empty password would make the daemon ask a GUI prompter; any fixed one unlocks it headless.
  eval "$(printf "chartdesk-test" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
  export GNOME_KEYRING_CONTROL
  exec "$@"
' with-keyring "$@"
