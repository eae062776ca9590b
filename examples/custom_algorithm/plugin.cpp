// The plugin library's entry point: `podium --plugin-library libpodium_example_plugin.so`
// calls it (after checking this library was built for the same Podium version).
#include "example_extension.hpp"
#include "podium/extension.hpp"

namespace {
void register_example(podium::extension::Host& host) { example::register_all(*host.algorithms, *host.plugins); }
}  // namespace

PODIUM_PLUGIN_ENTRY(register_example)
