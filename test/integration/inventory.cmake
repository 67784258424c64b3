# The inventory module's integration tests (tag [inventory]): TMF637/638/639 against the real
# binary with the catalog (demo catalog), party and inventory modules enabled.
target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/inventory_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/resource_subtypes_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_inventory)
