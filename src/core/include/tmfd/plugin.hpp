#pragma once
// The plugin ABI. A module or adapter is a shared library exporting one C function,
// tmfd_plugin_entry, that returns a descriptor. The loader checks every field of the descriptor
// before it uses any of them, so a library built for another tmfd, compiler or Boost is refused
// with a message instead of crashing the process.
#include <boost/version.hpp>
#include <cstdint>

#include <tmfd/module.hpp>

// Bumped whenever the descriptor layout or its meaning changes.
#define TMFD_PLUGIN_ABI_VERSION 1u

#define TMFD_STRINGIFY_(x) #x
#define TMFD_STRINGIFY(x) TMFD_STRINGIFY_(x)

#if defined(__SANITIZE_ADDRESS__)
#define TMFD_BUILD_SANITIZERS "asan"
#else
#define TMFD_BUILD_SANITIZERS "plain"
#endif

#ifndef TMFD_SDK_HASH
#define TMFD_SDK_HASH "unknown"
#endif

// Everything that must match between the kernel and a plugin for C++ objects to cross the
// boundary: compiler, standard library ABI, Boost, the SDK headers, sanitizer instrumentation.
#define TMFD_BUILD_KEY                                                                       \
  "gcc-" __VERSION__ ";glibcxx-" TMFD_STRINGIFY(__GLIBCXX__) ";cxxabi-" TMFD_STRINGIFY(     \
      _GLIBCXX_USE_CXX11_ABI) ";boost-" TMFD_STRINGIFY(BOOST_VERSION) ";sdk-" TMFD_SDK_HASH \
      ";" TMFD_BUILD_SANITIZERS

extern "C" {

struct tmfd_plugin_descriptor {
  std::uint32_t abi_version;       // TMFD_PLUGIN_ABI_VERSION
  std::uint32_t struct_size;       // sizeof(tmfd_plugin_descriptor)
  const char* name;                // ties the file (tmfd_<name>.so), the YAML key and the log tag
  const char* version;             // the plugin's own version
  const char* build_key;           // TMFD_BUILD_KEY as the plugin was compiled
  const char* const* dependencies; // names of modules that must start first; nullptr-terminated
  // Creates the module; returns nullptr on failure. Must not throw.
  tmfd::Module* (*create)() noexcept;
  void (*destroy)(tmfd::Module*) noexcept;
};

typedef const tmfd_plugin_descriptor* (*tmfd_plugin_entry_fn)();
}

// Defines the entry point of a plugin whose module class is ModuleClass:
//   TMFD_PLUGIN("party", "1.0.0", PartyModule, {nullptr})
#define TMFD_PLUGIN(NAME, VERSION, ModuleClass, ...)                                       \
  namespace {                                                                              \
  const char* const tmfd_plugin_dependencies_[] = __VA_ARGS__;                             \
  tmfd::Module* tmfd_plugin_create_() noexcept {                                           \
    try {                                                                                  \
      return new ModuleClass();                                                            \
    } catch (...) {                                                                        \
      return nullptr;                                                                      \
    }                                                                                      \
  }                                                                                        \
  void tmfd_plugin_destroy_(tmfd::Module* m) noexcept { delete m; }                        \
  const tmfd_plugin_descriptor tmfd_plugin_descriptor_{                                    \
      TMFD_PLUGIN_ABI_VERSION,       sizeof(tmfd_plugin_descriptor), NAME, VERSION,       \
      TMFD_BUILD_KEY,                tmfd_plugin_dependencies_,      &tmfd_plugin_create_, \
      &tmfd_plugin_destroy_};                                                              \
  }                                                                                        \
  extern "C" __attribute__((visibility("default"))) const tmfd_plugin_descriptor*          \
  tmfd_plugin_entry() {                                                                    \
    return &tmfd_plugin_descriptor_;                                                       \
  }
