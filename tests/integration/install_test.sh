#!/usr/bin/env bash
# Install Podium from a configured, built tree into a temporary prefix, build
# examples/custom_algorithm against that *installed* package (find_package(Podium)), then
# check that the installed `podium` loads the example's plugin library
# (--plugin-library), lists its algorithms and places pods with them, and that the
# example's own program (linked to podium::engine) does the same.
#
#   install_test.sh SOURCE_DIR BUILD_DIR CXX_COMPILER
#
# Every path comes from the arguments, so the test does not depend on the directory it is
# run from. In a sanitizer build (asan preset) the installed engine and podium are
# sanitized: podium::engine then carries -fsanitize in its link interface, so the example's
# own program links, and the unsanitized plugin library loads into the sanitized podium.
set -euo pipefail

source_dir=$1
build_dir=$2
cxx=$3

work=$(mktemp -d "${TMPDIR:-/tmp}/podium-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
example_build=$work/build
example=$source_dir/examples/custom_algorithm
cluster=$example/cluster.yaml

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

step "cmake --install $build_dir --prefix $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "install"; }
for f in bin/podium lib/libpodium_engine.a include/podium/extension.hpp include/podium/version.hpp \
         include/podium/algorithms/algorithm.hpp lib/cmake/Podium/PodiumConfig.cmake \
         lib/cmake/Podium/PodiumConfigVersion.cmake lib/cmake/Podium/PodiumTargets.cmake; do
  [[ -e "$prefix/$f" ]] || fail "$f not installed"
done
# The install interface must not force Podium's warning flags on consumers.
if grep -q -- "-Wall\|-Wconversion" "$prefix"/lib/cmake/Podium/PodiumTargets*.cmake; then
  fail "PodiumTargets.cmake exports warning flags"
fi

step "configure and build $example against the installed package"
# Ninja, as the project's presets use: a fresh machine set up by tools/setup has ninja-build
# and no make.
cmake -S "$example" -B "$example_build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER="$cxx" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$example_build" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }

podium=$prefix/bin/podium
plugin=$example_build/libpodium_example_plugin.so
[[ -f "$plugin" ]] || fail "no $plugin"

step "podium --plugin-library ... algorithms"
listing=$("$podium" --plugin-library "$plugin" algorithms)
for name in default most-pods prefer-labelled; do
  grep -qx "$name" <<<"$listing" || { echo "$listing"; fail "podium algorithms does not list $name"; }
done

# Count of the example's three pending pods placed on a node, from `podium schedule`'s JSON.
placed_on() { grep -o "\"node\":\"$1\"" <<<"$2" | wc -l; }

step "podium --plugin-library ... schedule --algorithm most-pods"
out=$("$podium" --plugin-library "$plugin" schedule --cluster "$cluster" --algorithm most-pods --threads 1)
[[ $(placed_on node-b "$out") == 3 ]] || { echo "$out"; fail "most-pods did not place every pod on node-b"; }

step "podium --plugin-library ... schedule --algorithm prefer-labelled (the ExamplePreferLabel score plugin)"
out=$("$podium" --plugin-library "$plugin" schedule --cluster "$cluster" --algorithm prefer-labelled --threads 1)
[[ $(placed_on node-c "$out") == 3 ]] || { echo "$out"; fail "prefer-labelled did not place every pod on node-c"; }

step "the default algorithm spreads instead (the plugin changed the answer, not the cluster)"
out=$("$podium" schedule --cluster "$cluster" --threads 1)
[[ $(placed_on node-b "$out") == 0 ]] || { echo "$out"; fail "default placed a pod on the busy node-b"; }

step "without --plugin-library the algorithm is unknown (exit 2)"
set +e
"$podium" schedule --cluster "$cluster" --algorithm most-pods >/dev/null 2>"$work/err"
rc=$?
set -e
[[ $rc == 2 ]] && grep -q 'unknown algorithm "most-pods"' "$work/err" || { cat "$work/err"; fail "expected unknown algorithm, rc 2 (got $rc)"; }

step "--plugin-library with a directory of plugins"
mkdir "$work/plugins"
cp "$plugin" "$work/plugins/"
"$podium" --plugin-library "$work/plugins" algorithms | grep -qx most-pods || fail "directory form"

step "the example's own program, linked to podium::engine"
out=$("$example_build/podium_example_demo" "$cluster" most-pods)
[[ $(grep -c -- "-> node-b" <<<"$out") == 3 ]] || { echo "$out"; fail "demo most-pods"; }
out=$("$example_build/podium_example_demo" "$cluster" prefer-labelled)
[[ $(grep -c -- "-> node-c" <<<"$out") == 3 ]] || { echo "$out"; fail "demo prefer-labelled"; }

echo "PASS"
