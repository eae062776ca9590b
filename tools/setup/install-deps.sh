#!/usr/bin/env bash
# Installs every package Podium needs on Debian 12 (bookworm) with apt-get: compiler,
# CMake, Ninja and all libraries (`install-deps.sh test`: also clang for the fuzz targets).
# Skips apt entirely when everything is already installed.
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libtbb-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev
          libeigen3-dev liblemon-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev python3
          python3-matplotlib)
# `run.sh test` also fuzzes the parsers with libFuzzer (tests/fuzz), which only clang has;
# `run.sh bench` does not need it, so it installs no second compiler.
if [ "${1:-}" = test ]; then packages+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
