// A plugin whose descriptor is wrong in one field (chosen by the build), for the loader tests.
#include <tmfd/plugin.hpp>

namespace {

class Unused final : public tmfd::Module {
public:
  void start(tmfd::ModuleContext&) override {}
};
tmfd::Module* create() noexcept { return new Unused(); }
void destroy(tmfd::Module* m) noexcept { delete m; }
const char* const no_dependencies[] = {nullptr};

#if defined(BAD_ABI)
constexpr std::uint32_t abi = TMFD_PLUGIN_ABI_VERSION + 98;
#else
constexpr std::uint32_t abi = TMFD_PLUGIN_ABI_VERSION;
#endif
#if defined(BAD_SIZE)
constexpr std::uint32_t size = sizeof(tmfd_plugin_descriptor) - 8;
#else
constexpr std::uint32_t size = sizeof(tmfd_plugin_descriptor);
#endif
#if defined(BAD_KEY)
constexpr const char* key = "gcc-0.0;boost-0;sdk-other";
#else
constexpr const char* key = TMFD_BUILD_KEY;
#endif

const tmfd_plugin_descriptor descriptor{abi, size, PLUGIN_NAME, "1.0.0", key, no_dependencies, &create, &destroy};

} // namespace

extern "C" __attribute__((visibility("default"))) const tmfd_plugin_descriptor* tmfd_plugin_entry() {
  return &descriptor;
}
