# TMF673 Geographic Address (tag [geographic-address]) and the TMF666 bill entities with the
# account references to them (tag [account]).
target_sources(tmfd_integration_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/account_complete_test.cpp)
target_sources(tmfd_integration_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/geographic_address_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_geographic_address)
