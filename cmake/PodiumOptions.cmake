# Precompiled headers of third-party and standard headers only (never Podium's own, so a missing
# include still fails to compile): the tests' GoogleTest/JSON and the CLI's CLI11/JSON.
option(PODIUM_PCH "Precompile the third-party headers of the tests and the CLI" ON)

# Compile options shared by every Podium target, attached to an interface target so that
# nothing leaks into third-party code through global flags.
add_library(podium_options INTERFACE)
add_library(podium::options ALIAS podium_options)

target_compile_options(podium_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  # Go (kube-scheduler) never fuses a*b+c on amd64; BalancedAllocation's float math must
  # round exactly like it, so contraction into FMA is off everywhere.
  -ffp-contract=off)

if(PODIUM_NATIVE)
  target_compile_options(podium_options INTERFACE -march=native)
endif()

if(PODIUM_FRAME_POINTERS)
  target_compile_options(podium_options INTERFACE -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer)
endif()

# In sanitizer builds the code that only drives the engine -- test sources and the CLI's own
# sources -- compiles at this level (appended after the build type's flags); the engine and
# libraries keep the preset's -O1, so sanitized runs stay fast. -O0 hides no finding: ASan and
# UBSan check every access and operation the source performs, more of them unoptimised.
set(PODIUM_SANITIZE_DRIVER_OPT "-O0" CACHE STRING "Optimisation flag for test and CLI sources in sanitizer builds")

if(PODIUM_SANITIZE)
  target_compile_options(podium_options INTERFACE -fsanitize=${PODIUM_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(podium_options INTERFACE -fsanitize=${PODIUM_SANITIZE})
endif()

if(PODIUM_FUZZ)
  # Coverage feedback for libFuzzer in every Podium object; only the fuzz targets link the
  # fuzzer's main (-fsanitize=fuzzer, tests/fuzz/CMakeLists.txt).
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PODIUM_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  target_compile_options(podium_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

# The allocator the executables (the podium CLI, the micro-benchmarks) link; the engine
# library leaves that choice to its users. Loading and building a 150,000-pod cluster
# allocate millions of small objects, and glibc's malloc spends its time consolidating
# fastbins and splitting chunks: jemalloc runs a whole `podium schedule` of one in 7% fewer
# instructions (docs/BENCHMARKS.md, "jemalloc"). Placements do not depend on it. Sanitizer
# and fuzz builds keep the system allocator: their runtimes replace malloc themselves.
add_library(podium_malloc INTERFACE)
add_library(podium::malloc ALIAS podium_malloc)
if(PODIUM_MALLOC STREQUAL "jemalloc" AND NOT PODIUM_SANITIZE AND NOT PODIUM_FUZZ)
  find_library(PODIUM_JEMALLOC_LIBRARY NAMES jemalloc)
  if(PODIUM_JEMALLOC_LIBRARY)
    target_link_libraries(podium_malloc INTERFACE ${PODIUM_JEMALLOC_LIBRARY})
  else()
    message(WARNING "PODIUM_MALLOC=jemalloc but libjemalloc was not found (Debian: libjemalloc-dev, which "
                    "tools/setup/install-deps.sh installs): the executables use the system allocator")
  endif()
elseif(NOT PODIUM_MALLOC MATCHES "^(jemalloc|system)$")
  message(FATAL_ERROR "PODIUM_MALLOC must be jemalloc or system, not '${PODIUM_MALLOC}'")
endif()
