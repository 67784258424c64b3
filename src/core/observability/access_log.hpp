#pragma once
// The access log, written off the request path. One line per answered request, formatted as
// every other log line (`[access] request corr=… method=… path=… status=… duration_us=…`), but
// not written by the thread that answered: each thread appends its lines to a buffer of its own
// (its own mutex, which no other request thread takes), and one flusher thread hands the lines
// of every buffer to the log sink in one batch every 50 ms, or sooner when a buffer passes
// 64 KiB. So a request costs neither a system call nor a lock another request thread holds.
//
// Lines reach the log up to 50 ms late, and may follow lines written after them by other
// components. Nothing is lost on a clean exit: what is pending is written at exit (an atexit
// hook) and before logging is set up again; a crash loses at most the last 50 ms.
#include <cstdint>
#include <string_view>

namespace tmfd::observability {

void write_access_line(std::string_view correlation_id, std::string_view method, std::string_view path,
                       int status, std::int64_t duration_us);

// Writes every pending line now, from the calling thread.
void flush_access_log();

} // namespace tmfd::observability
