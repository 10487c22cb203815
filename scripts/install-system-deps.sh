#!/usr/bin/env bash
# Debian packages the build and the tests need: Chromium for the browser e2e, Xvfb for real
# Electron, D-Bus and gnome-keyring for the keychain tests, libsecret and a compiler for keytar.
set -euo pipefail
packages=(chromium xvfb xauth dbus dbus-x11 gnome-keyring libsecret-1-dev build-essential python3)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "System packages: all present."
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
