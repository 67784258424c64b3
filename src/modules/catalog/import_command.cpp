#include "import_command.hpp"

#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>

#include <tmfd/error.hpp>
#include <tmfd/ids.hpp>
#include <tmfd/module.hpp>

#include "catalog_document.hpp"

namespace tmfd::catalog_module {

namespace {

// Exit codes: 0 imported, 1 entries refused (nothing imported), 2 unreadable or not a document.
int import_file(Resources& resources, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "tmfd import: cannot read " << file << "\n";
    return 2;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<ImportEntry> entries;
  try {
    entries = catalog::document_entries(parse_object(text));
  } catch (const ApiError& e) {
    std::cerr << "tmfd import: " << file << ": " << e.detail() << "\n";
    return 2;
  }
  std::promise<ImportOutcome> promise;
  auto future = promise.get_future();
  const auto started = std::chrono::steady_clock::now();
  resources.import(std::move(entries), "import-" + new_uuid(),
                   [&promise](ImportOutcome o) { promise.set_value(std::move(o)); });
  ImportOutcome outcome = future.get();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!outcome.committed) {
    std::cerr << "tmfd import: " << file << ": nothing imported; " << outcome.errors.size() << " entries refused:\n";
    for (const auto& e : outcome.errors) std::cerr << "  " << e << "\n";
    return 1;
  }
  std::cout << "tmfd import: " << file << ": " << outcome.created << " resources imported in " << seconds << " s\n";
  return 0;
}

} // namespace

Command import_command() {
  Command c;
  c.name = "import";
  c.arguments = "CATALOG.json";
  c.help = "import a catalog document (all or nothing), then exit";
  c.run = [](ModuleContext& ctx, const std::vector<std::string>& args) {
    if (args.size() != 1) {
      std::cerr << "tmfd import: usage: tmfd [--config FILE] import CATALOG.json\n";
      return 2;
    }
    return import_file(ctx.resources(), args[0]);
  };
  return c;
}

} // namespace tmfd::catalog_module
