#include <tmfd/ids.hpp>

#include "resource/ids_and_time.hpp"

namespace tmfd {

std::string new_uuid() { return resource::new_uuid(); }

} // namespace tmfd
