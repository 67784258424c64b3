// A well-formed plugin whose name and dependency come from the build, for the loader tests.
// It records start/stop order in the file named by the TMFD_TEST_TRACE environment variable.
#include <cstdio>
#include <cstdlib>

#include <tmfd/plugin.hpp>

namespace {

void trace(const char* what) {
  if (const char* path = std::getenv("TMFD_TEST_TRACE")) {
    if (FILE* f = std::fopen(path, "a")) {
      std::fprintf(f, "%s %s\n", what, PLUGIN_NAME);
      std::fclose(f);
    }
  }
}

class TestModule final : public tmfd::Module {
public:
  void start(tmfd::ModuleContext& ctx) override {
    trace("start");
    // Exercises per-module migrations: run twice across restarts, applied once.
    ctx.migrate({"CREATE TABLE " PLUGIN_NAME "_notes(note TEXT)",
                 "INSERT INTO " PLUGIN_NAME "_notes VALUES ('migrated')"});
  }
  void stop() noexcept override { trace("stop"); }
};

} // namespace

#ifdef PLUGIN_DEPENDS
TMFD_PLUGIN(PLUGIN_NAME, "1.0.0", TestModule, {PLUGIN_DEPENDS, nullptr})
#else
TMFD_PLUGIN(PLUGIN_NAME, "1.0.0", TestModule, {nullptr})
#endif
