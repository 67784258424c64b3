# The ordering module's integration tests (tag [ordering]): product orders decomposed and fulfilled
# into the inventories by the real binary with the catalog, party, inventory and ordering modules.
target_sources(tmfd_integration_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/ordering_support.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/ordering_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/ordering_crash_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/ordering_events_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/ordering_https_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/direct_orders_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_catalog tmfd_inventory tmfd_ordering)
