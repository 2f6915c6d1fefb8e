//! Fuzz target `ingest`: any bytes as one input file, through every JSON dialect ingest reads
//! (ARM/REST, az CLI, Resource Graph, Service Tags, learned routes, Terraform state and plan),
//! then, when the load has no errors, linking's result through the route, NSG and trace engines.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = azroute_testkit::fuzz::load(data);
    azroute_testkit::fuzz::exercise(&loaded);
});
