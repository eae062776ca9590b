// podium/extension.hpp and the global registries out-of-tree code adds to. Loading a real
// plugin library is the install.custom_algorithm test's job (it needs an executable that
// exports the engine's symbols); here: the registries, the version check and the loader's
// errors.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "podium/extension.hpp"
#include "podium/framework/profile.hpp"

namespace podium {
namespace {

TEST(Extension, GlobalPluginRegistryStartsWithTheBuiltins) {
  for (const char* name : {"NodeResourcesFit", "TaintToleration", "ImageLocality"})
    EXPECT_TRUE(framework::Registry::global().contains(name)) << name;
  EXPECT_FALSE(framework::Registry::builtin().contains("ExtensionTestNever"));
}

TEST(Extension, DuplicatePluginNameIsRefused) {
  EXPECT_THROW(framework::Registry::global().add("NodeResourcesFit", nullptr), std::logic_error);
}

TEST(Extension, DuplicateAlgorithmNameIsRefused) {
  algorithms::AlgorithmDescriptor d;
  d.name = "default";
  d.make = [](const algorithms::KnobValues&) { return algorithms::Algorithm{}; };
  EXPECT_THROW(algorithms::AlgorithmRegistry::global().add(d), std::invalid_argument);
}

TEST(Extension, RegisterPluginRunsTheFunctionForTheSameVersion) {
  extension::Host host;
  char error[64] = "";
  bool ran = false;
  EXPECT_EQ(extension::detail::register_plugin(&host, error, sizeof error, [&](extension::Host&) { ran = true; }),
            extension::kRegistered);
  EXPECT_TRUE(ran);
}

TEST(Extension, RegisterPluginRefusesAnotherVersionWithoutRunning) {
  extension::Host host;
  host.podium_version = "0.0.0-other";
  char error[256] = "";
  bool ran = false;
  EXPECT_EQ(extension::detail::register_plugin(&host, error, sizeof error, [&](extension::Host&) { ran = true; }),
            extension::kIncompatible);
  EXPECT_FALSE(ran);
  EXPECT_NE(std::string(error).find("built for Podium " PODIUM_VERSION_STRING), std::string::npos) << error;
  EXPECT_NE(std::string(error).find("0.0.0-other"), std::string::npos) << error;

  host.podium_version = PODIUM_VERSION_STRING;
  host.abi_version = extension::kPluginAbiVersion + 1;
  EXPECT_EQ(extension::detail::register_plugin(&host, error, sizeof error, [&](extension::Host&) { ran = true; }),
            extension::kIncompatible);
  EXPECT_FALSE(ran);
}

TEST(Extension, RegisterPluginTurnsAnExceptionIntoAnError) {
  extension::Host host;
  char error[8] = "";  // truncated, still terminated
  EXPECT_EQ(extension::detail::register_plugin(&host, error, sizeof error,
                                               [](extension::Host&) { throw std::runtime_error("duplicate name"); }),
            extension::kFailed);
  EXPECT_STREQ(error, "duplica");
}

TEST(Extension, LoadingAMissingLibraryNamesIt) {
  try {
    extension::load_plugin_library("/nonexistent/libnothing.so");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("plugin library /nonexistent/libnothing.so: "), std::string::npos) << e.what();
  }
  EXPECT_TRUE(extension::loaded_plugin_libraries().empty());
}

TEST(Extension, LoadingALibraryWithoutTheEntryPointIsRefused) {
  // libm is in every process already; it has no podium_register.
  try {
    extension::load_plugin_library("libm.so.6");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no podium_register symbol"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace podium
