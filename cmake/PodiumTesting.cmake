include(GoogleTest)

# podium_add_test(NAME <target> SOURCES <files...> [LABELS <labels...>])
# One GoogleTest executable; each TEST becomes its own ctest entry carrying LABELS
# (unit, integration, conformance, stress, slow) so `ctest -L unit` selects a subset.
function(podium_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE podium::engine podium::options GTest::gtest_main GTest::gmock)
  target_compile_definitions(${ARG_NAME} PRIVATE
    PODIUM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PODIUM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${ARG_NAME}
    PROPERTIES LABELS "${ARG_LABELS}"
    DISCOVERY_TIMEOUT 60)
endfunction()
