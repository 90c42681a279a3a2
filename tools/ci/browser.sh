#!/usr/bin/env sh
# The console's headless browser check needs Chromium (Debian's package: test tools cannot download their
# own browser here). Installs it when it is missing and this user may; otherwise says so, and that test
# skips with the same message. Never fails the test line.
if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium for the console's browser check (apt-get install chromium)"
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/tmp/rapport-chromium-install.log 2>&1; then
    exit 0
  fi
  echo "Chromium could not be installed (see /tmp/rapport-chromium-install.log): the browser check will skip"
else
  echo "no Chromium and no root to install it: the console's browser check will skip (set CHROMIUM_PATH)"
fi
exit 0
