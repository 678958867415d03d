# The Junos and BIG-IP kinds of the device emulator (pure text processing,
# emu_kind.h) and their unit tests. Included from the emulators' CMake file;
# paths are relative to this file so that it works from any includer, and
# a second include (tests/CMakeLists.txt includes it until the emulators'
# own CMake file does) is harmless.
include_guard(GLOBAL)
set(ACLF_EMU_VENDOR_SRC
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_tree.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_stmt.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_load.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_commit.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_packet.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_cli.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_lex.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_objects.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_list.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_tmsh.c)
add_library(aclf_emu_vendors STATIC ${ACLF_EMU_VENDOR_SRC})
target_include_directories(aclf_emu_vendors PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(aclf_emu_vendors PUBLIC aclforge_core)

foreach(name test_emu_junos test_emu_bigip)
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.c $<TARGET_OBJECTS:aclforge_registry>)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/drivers
    ${CMAKE_SOURCE_DIR}/tests/unit)
  target_link_libraries(${name} PRIVATE aclf_emu_vendors aclforge_core aclf_testutil PkgConfig::CMOCKA)
  add_test(NAME emulators/${name} COMMAND ${name})
  set_tests_properties(emulators/${name} PROPERTIES ENVIRONMENT "${ACLF_TEST_ENV}" LABELS emulators
    SKIP_RETURN_CODE 77)
endforeach()
