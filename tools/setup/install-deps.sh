#!/usr/bin/env bash
# Installs every package Podium needs on Debian 12 (bookworm) with apt-get: compiler,
# CMake, Ninja and all libraries. Skips apt entirely when everything is already installed.
#   install-deps.sh        what building and benchmarking need
#   install-deps.sh test   also Slurm and munge (the `podium sweep` job-array test, label slurm)
#                          and clang with libFuzzer (the fuzz targets in tests/fuzz)
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libtbb-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev
          libeigen3-dev liblemon-dev libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev python3
          python3-matplotlib)
# `run.sh test` also runs a real Slurm and fuzzes the parsers with libFuzzer, which only clang
# has; `run.sh bench` needs neither, so it installs no daemons and no second compiler.
if [ "${1:-}" = test ]; then packages+=(slurm-wlm munge clang libclang-rt-14-dev); fi
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
