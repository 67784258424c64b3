#pragma once
// Identifiers made the way the kernel makes them, for modules that need one of their own (a
// correlation id for work no request started, say).
#include <string>

namespace tmfd {

// A new version 7 UUID (time-ordered), as the engine gives resources without an id.
std::string new_uuid();

} // namespace tmfd
