# The ordering benchmark (bench/order_bench.cpp), included by test/CMakeLists.txt. Not a test: it
# prints figures (bench/order_bench.sh builds and runs it). It runs tmfd with the party, catalog,
# inventory and ordering modules; a module not in this tree is simply not a dependency.
add_executable(tmfd_order_bench ${CMAKE_SOURCE_DIR}/bench/order_bench.cpp ${CMAKE_SOURCE_DIR}/bench/bench_load.cpp)
target_link_libraries(tmfd_order_bench PRIVATE tmfd_test_support Threads::Threads)
tmfd_apply_warnings(tmfd_order_bench)
add_dependencies(tmfd_order_bench tmfd)
foreach(module tmfd_party tmfd_catalog tmfd_inventory tmfd_ordering)
  if(TARGET ${module})
    add_dependencies(tmfd_order_bench ${module})
  endif()
endforeach()
