#pragma once
// The operator's address book: a JSON file of GeographicAddress entries loaded into the
// geographicAddress collection at start, while that collection is empty (TMF673 gives clients no
// way to write addresses).
#include <string>

#include <tmfd/resources.hpp>

namespace tmfd::geographic_address {

// Loads `path` (a JSON array of addresses, or an object with a "geographicAddress" array) all or
// nothing. Entries may carry their own id; sub-addresses go inside their address. Does nothing
// when the collection already holds addresses. Throws std::runtime_error naming the file and
// every refused entry. Waits for the commit: call it from Module::serving.
void load_address_book(Resources& resources, const std::string& path);

} // namespace tmfd::geographic_address
