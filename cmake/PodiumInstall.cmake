# Install rules and the CMake package (find_package(Podium)):
#   include/podium/**                 the engine's public headers (+ generated version.hpp)
#   lib/libpodium_engine.a            podium::engine
#   bin/podium                        podium::podium (exports the engine's symbols for plugins)
#   lib/cmake/Podium/                 PodiumConfig.cmake, PodiumConfigVersion.cmake, PodiumTargets*.cmake
# Imported targets: podium::engine (link a program against the engine), podium::plugin_api
# (compile a plugin library loaded by `podium --plugin-library`), podium::podium (the CLI).
include(CMakePackageConfigHelpers)

set(PODIUM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Podium CACHE STRING
    "Where PodiumConfig.cmake is installed, relative to the prefix")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/podium
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp"
        # Needs yaml-cpp, which the package does not provide; used by the build tree only.
        PATTERN "yaml_reader.hpp" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/generated/include/podium/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/podium)

set(PODIUM_INSTALL_TARGETS podium_engine podium_plugin_api)
if(PODIUM_BUILD_TOOLS)
  list(APPEND PODIUM_INSTALL_TARGETS podium)
endif()
install(TARGETS ${PODIUM_INSTALL_TARGETS}
        EXPORT PodiumTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT PodiumTargets
        NAMESPACE podium::
        DESTINATION ${PODIUM_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/PodiumConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/generated/PodiumConfig.cmake
                              INSTALL_DESTINATION ${PODIUM_INSTALL_CMAKEDIR})
# Plugin libraries must match the loading podium exactly (podium/extension.hpp checks at
# load); for find_package, 0.x releases promise compatibility within a minor version.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/generated/PodiumConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION}
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/generated/PodiumConfig.cmake
              ${PROJECT_BINARY_DIR}/generated/PodiumConfigVersion.cmake
        DESTINATION ${PODIUM_INSTALL_CMAKEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/EXTENDING.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
