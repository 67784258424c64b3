#pragma once
// What this binary is: the version of the project and the source revision it was built from
// (git's short commit id, "-dirty" when built with uncommitted changes, "unknown" without git).
// Shown by `tmfd --version`, `GET /` and the tmfd_build_info metric.
#include <string_view>

namespace tmfd::build_info {

std::string_view version() noexcept;
std::string_view revision() noexcept;

} // namespace tmfd::build_info
