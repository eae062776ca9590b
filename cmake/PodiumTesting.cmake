include(GoogleTest)

# Test code is compiled for build speed, not run speed. A test file is mostly GoogleTest macro
# expansions and fixtures; -O3 doubles its compile time (24 s vs 12 s for one plugin test file)
# and buys nothing, because the code under test lives in the engine library, which keeps the
# preset's own flags. The release preset therefore compiles tests at -O1.
set(PODIUM_TEST_RELEASE_OPT "-O1" CACHE STRING "Optimisation flag for test sources in Release builds")
# Sanitizer builds compile test sources at PODIUM_SANITIZE_DRIVER_OPT (-O0, cmake/PodiumOptions.cmake):
# instrumentation multiplies the optimiser's work on GoogleTest's expansions (a test file at -O1
# under ASan+UBSan took 4-7x its release time; at -O0 it takes 0.41x of that), while the engine
# under test keeps the preset's -O1.

# One precompiled header for every test executable (PODIUM_PCH, cmake/PodiumOptions.cmake):
# GoogleTest, GoogleMock, nlohmann::json and the standard headers the tests use take ~2.5 s of
# the front end of every test file. Only third-party and standard headers go in, so a test that
# forgets to include a Podium header fails to compile with or without it.

function(podium_test_common_settings target)
  target_link_libraries(${target} PRIVATE podium::engine podium::options GTest::gtest GTest::gmock)
  target_compile_definitions(${target} PRIVATE
    PODIUM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PODIUM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(PODIUM_SANITIZE)
    target_compile_options(${target} PRIVATE ${PODIUM_SANITIZE_DRIVER_OPT})
  else()
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:${PODIUM_TEST_RELEASE_OPT}>)
  endif()
endfunction()

if(PODIUM_PCH)
  # The header is built once here and reused by every test target (REUSE_FROM needs identical
  # flags and definitions, which podium_test_common_settings guarantees).
  add_library(podium_test_pch OBJECT ${PROJECT_SOURCE_DIR}/tests/support/pch_anchor.cpp)
  podium_test_common_settings(podium_test_pch)
  target_link_libraries(podium_test_pch PRIVATE nlohmann_json::nlohmann_json)
  target_precompile_headers(podium_test_pch PRIVATE
    <gtest/gtest.h> <gmock/gmock.h> <nlohmann/json.hpp>
    <algorithm> <array> <cstdint> <filesystem> <fstream> <functional> <map> <memory>
    <optional> <set> <sstream> <string> <unordered_map> <utility> <vector>)
endif()

# podium_add_test(NAME <target> SOURCES <files...> [LABELS <labels...>])
# One GoogleTest executable; each TEST becomes its own ctest entry carrying LABELS
# (unit, integration, conformance, stress, slow) so `ctest -L unit` selects a subset.
# Give ONE label: gtest_discover_tests hands PROPERTIES to set_tests_properties unquoted, so
# a second label becomes a property name and is lost (the determinism matrix lost
# `determinism` that way, and the asan preset, which excludes that label, ran it).
function(podium_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  podium_test_common_settings(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE GTest::gtest_main)
  if(PODIUM_PCH)
    target_link_libraries(${ARG_NAME} PRIVATE nlohmann_json::nlohmann_json)
    target_precompile_headers(${ARG_NAME} REUSE_FROM podium_test_pch)
  endif()
  gtest_discover_tests(${ARG_NAME}
    PROPERTIES LABELS "${ARG_LABELS}"
    DISCOVERY_TIMEOUT 60)
endfunction()
