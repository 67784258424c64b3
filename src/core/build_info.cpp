#include "build_info.hpp"

#include "tmfd_revision.hpp"  // generated into the build folder at every build

namespace tmfd::build_info {

std::string_view version() noexcept { return TMFD_VERSION; }
std::string_view revision() noexcept { return TMFD_REVISION; }

} // namespace tmfd::build_info
