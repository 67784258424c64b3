#pragma once
// The JSON Patch (RFC 6902) that turns one version of a resource into the next: what the audit
// log shows for an update. Objects are compared member by member; an array or scalar that
// differs is replaced whole (a patch that is always correct, if not always the shortest).
#include <tmfd/json.hpp>

namespace tmfd::resource {

json::array json_diff(const json::value& from, const json::value& to);

// "/a~1b/~0c" from the segments "a/b", "~c" (RFC 6901 escaping), one segment at a time.
void append_pointer_segment(std::string& pointer, std::string_view segment);

} // namespace tmfd::resource
