#pragma once
// The current UTC time as ISO 8601 with milliseconds (2026-11-28T02:40:00.123Z), for what is
// stamped on every request (its arrival time, its access-log line). Each thread formats the date
// and time once per second and only the milliseconds otherwise: snprintf for every request
// showed in profiles of the GET path.
#include <string>

namespace tmfd::observability {

void assign_now_iso8601(std::string& out);

} // namespace tmfd::observability
