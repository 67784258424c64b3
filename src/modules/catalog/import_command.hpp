#pragma once
// `tmfd import CATALOG.json`: loads a catalog document through the same engine rules as an
// importJob, all or nothing, from any path (the operator runs it; import_directory does not apply).
#include <tmfd/command.hpp>

namespace tmfd::catalog_module {

Command import_command();

} // namespace tmfd::catalog_module
