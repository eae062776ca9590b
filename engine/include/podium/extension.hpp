#pragma once
// Extending Podium from outside its source tree: out-of-tree algorithms (NodeChooser /
// WindowPlacer behind an AlgorithmDescriptor) and filter/score plugins (framework::Plugin
// behind a factory), registered by name. docs/EXTENDING.md walks through both ways:
//
//   1. A plugin library (a shared object) loaded by `podium --plugin-library lib.so` or by
//      load_plugin_library() in your own program. It exports one C symbol,
//      `podium_register`, which PODIUM_PLUGIN_ENTRY(fn) defines: Podium checks the
//      library was built against the same Podium version and plugin ABI, then calls
//      fn(Host&), which adds to host.algorithms and host.plugins.
//
//   2. Your own program linking podium::engine (find_package(Podium)), calling
//      AlgorithmRegistry::global().add(...) / framework::Registry::global().add(...) before
//      it schedules.
//
// A plugin library resolves the engine's symbols from the program that loads it (the
// `podium` executable exports them): link it to podium::plugin_api, never to
// podium::engine, or it would carry a second engine with registries of its own. It must be
// built with the same compiler and standard library as that program against the headers
// of the same Podium version (the C++ classes cross the boundary as they are; the version
// check refuses any other version, it cannot detect a different compiler or flags).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "podium/algorithms/algorithm.hpp"
#include "podium/framework/registry.hpp"
#include "podium/version.hpp"

namespace podium::extension {

// Bumped whenever Host changes shape. Host's first two members never move, so any Podium
// can read any library's answer to "which versions were you built for?".
inline constexpr std::uint32_t kPluginAbiVersion = 1;

// What the loading program hands a plugin library's registration function.
struct Host {
  std::uint32_t abi_version = kPluginAbiVersion;       // of the loading program
  const char* podium_version = PODIUM_VERSION_STRING;  // of the loading program
  algorithms::AlgorithmRegistry* algorithms = nullptr;  // the process-wide registries
  framework::Registry* plugins = nullptr;
  std::string library;  // the path being loaded, for messages
};

// podium_register's answers.
inline constexpr int kRegistered = 0;
inline constexpr int kIncompatible = 1;  // built for another Podium version or plugin ABI
inline constexpr int kFailed = 2;        // the registration function threw

// The signature of `podium_register`. `error` receives a NUL-terminated reason (at most
// error_size bytes) when the answer is not kRegistered.
using RegisterFunction = int (*)(Host* host, char* error, std::size_t error_size);
inline constexpr const char* kRegisterSymbol = "podium_register";

namespace detail {
inline void copy_error(const std::string& message, char* error, std::size_t error_size) {
  if (error == nullptr || error_size == 0) return;
  const std::size_t n = message.size() < error_size - 1 ? message.size() : error_size - 1;
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

// The body of podium_register, compiled into the plugin library: checks versions before
// touching anything past Host's first two members, then registers.
template <class Fn>
int register_plugin(Host* host, char* error, std::size_t error_size, Fn&& fn) noexcept {
  if (host == nullptr) return kFailed;
  if (host->abi_version != kPluginAbiVersion || std::strcmp(host->podium_version, PODIUM_VERSION_STRING) != 0) {
    copy_error("built for Podium " PODIUM_VERSION_STRING " (plugin ABI " + std::to_string(kPluginAbiVersion) +
                   "), loaded by Podium " + std::string(host->podium_version) + " (plugin ABI " +
                   std::to_string(host->abi_version) + ")",
               error, error_size);
    return kIncompatible;
  }
  try {
    fn(*host);
  } catch (const std::exception& e) {
    copy_error(e.what(), error, error_size);
    return kFailed;
  } catch (...) {
    copy_error("unknown exception", error, error_size);
    return kFailed;
  }
  return kRegistered;
}
}  // namespace detail

// Loads a plugin library into this process (dlopen, never unloaded: its code backs the
// registered descriptors and factories) and runs its registration against the global
// registries. Throws std::runtime_error with the path and the reason: the file cannot be
// loaded (missing, or a symbol it needs is not in this program), it has no
// podium_register, it was built for another version, or its registration threw (e.g. a
// duplicate name). A library already loaded (under any path) is not registered again.
void load_plugin_library(const std::string& path);

// The libraries load_plugin_library has loaded, in order (as given).
const std::vector<std::string>& loaded_plugin_libraries();

}  // namespace podium::extension

// Defines the plugin library's entry point. `fn` is callable as fn(podium::extension::Host&):
//
//   void register_mine(podium::extension::Host& host) {
//     host.algorithms->add(my_algorithm_descriptor());
//     host.plugins->add("MyScore", my_score_factory);
//   }
//   PODIUM_PLUGIN_ENTRY(register_mine)
#define PODIUM_PLUGIN_ENTRY(fn)                                                                         \
  extern "C" __attribute__((visibility("default"))) int podium_register(                                \
      ::podium::extension::Host* host, char* error, std::size_t error_size) {                           \
    return ::podium::extension::detail::register_plugin(host, error, error_size,                        \
                                                        [](::podium::extension::Host& h) { fn(h); });   \
  }
