#pragma once
// The TMF673 sub-address routes, over the sub-addresses stored inside their address:
//   GET {base}/geographicAddress/{id}/geographicSubAddress          the address's sub-addresses
//   GET {base}/geographicAddress/{id}/geographicSubAddress/{subId}  one of them
// The address segment is called {id} because the engine's /geographicAddress/{id} route shares
// that position in the route tree, and one position has one parameter name.
#include <tmfd/http.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::geographic_address {

void add_sub_address_routes(http::RouteRegistry& routes, Resources& resources);

} // namespace tmfd::geographic_address
