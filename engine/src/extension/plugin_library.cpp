// load_plugin_library: dlopen a plugin library and run its podium_register (see
// podium/extension.hpp).

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "podium/extension.hpp"

namespace podium::extension {
namespace {

std::vector<std::string>& loaded() {
  static std::vector<std::string> paths;
  return paths;
}

// dlopen hands back the same handle for a library already loaded, under any path.
std::vector<void*>& handles() {
  static std::vector<void*> seen;
  return seen;
}

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw std::runtime_error("plugin library " + path + ": " + why);
}

}  // namespace

void load_plugin_library(const std::string& path) {
  // RTLD_NOW: a symbol the library needs and this program lacks is reported here, not at
  // its first call. RTLD_LOCAL: one library's symbols do not satisfy another's.
  // dlopen searches the library path for a bare name; "./lib.so" names a file.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    fail(path, why != nullptr ? why : "dlopen failed");
  }
  // Never dlclose: the registered descriptors and factories point into the library.
  if (std::find(handles().begin(), handles().end(), handle) != handles().end()) return;  // loaded already
  dlerror();
  void* symbol = dlsym(handle, kRegisterSymbol);
  if (symbol == nullptr)
    fail(path, std::string("no ") + kRegisterSymbol + " symbol (define it with PODIUM_PLUGIN_ENTRY)");
  auto register_fn = reinterpret_cast<RegisterFunction>(symbol);

  Host host;
  host.algorithms = &algorithms::AlgorithmRegistry::global();
  host.plugins = &framework::Registry::global();
  host.library = path;
  std::array<char, 1024> error{};
  switch (register_fn(&host, error.data(), error.size())) {
    case kRegistered:
      break;
    case kIncompatible:
      fail(path, std::string("incompatible: ") + error.data() + "; rebuild it against this Podium's headers");
    default:
      fail(path, std::string("registration failed: ") + (error[0] != '\0' ? error.data() : "no reason given"));
  }
  handles().push_back(handle);
  loaded().push_back(path);
}

const std::vector<std::string>& loaded_plugin_libraries() { return loaded(); }

}  // namespace podium::extension
