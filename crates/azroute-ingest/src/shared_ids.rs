//! One allocation per distinct id text in a load: every NIC of a subnet names the subnet's id
//! (and often its NSG's), each NIC names its VM and each VM its NIC, so a 100k-NIC estate held
//! each such id many times as text. References, the own ids of the kinds others name and the
//! NICs' and VMs' locations share one table for the whole load (the files are read in parallel, so it is sharded by a few
//! bytes of the id and locked per shard), dropped once the last load reading files ends.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use azroute_model::ArmId;
// Fx rather than SipHash: ids are hashed once per reference and own id (about half a million at
// 100k NICs) and come from the user's own export.
use rustc_hash::FxHashSet as HashSet;

/// Shards of the table: the parsing threads rarely wait for one another.
const SHARDS: usize = 16;

/// The ids met so far by the loads now reading files.
static TABLE: [Mutex<Option<HashSet<Arc<str>>>>; SHARDS] = [const { Mutex::new(None) }; SHARDS];

/// How many loads are reading files: the table is dropped when the last one ends.
static READING: AtomicUsize = AtomicUsize::new(0);

/// Held while a load reads its files (see [`reading`]): ids are shared from the first
/// [`Reading`] taken until the last is dropped, then the table goes (the ids themselves live
/// on in what was read).
pub(crate) struct Reading(());

/// Starts sharing ids until the returned guard (and every other one alive) is dropped.
pub(crate) fn reading() -> Reading {
    READING.fetch_add(1, Ordering::SeqCst);
    Reading(())
}

impl Drop for Reading {
    fn drop(&mut self) {
        if READING.fetch_sub(1, Ordering::SeqCst) == 1 {
            for shard in &TABLE {
                // A load that started meanwhile only loses the sharing of what was met before.
                *shard.lock().unwrap_or_else(|e| e.into_inner()) = None;
            }
        }
    }
}

/// An [`ArmId`] for a referenced id, sharing its text with every earlier reference to, or own
/// id of, the same text in the loads now reading (a copy of its own outside any).
pub(crate) fn referenced_id(text: &str) -> ArmId {
    shared(text)
}

/// An [`ArmId`] for a resource's own id, shared as [`referenced_id`]'s are: for the kinds other
/// resources name (a NIC's VM, a VM's NICs, a NIC's subnet and NSG).
pub(crate) fn own_id(text: &str) -> ArmId {
    shared(text)
}

fn shared(text: &str) -> ArmId {
    ArmId::shared(shared_text(text))
}

/// Text repeated across resources (a location), shared as ids are.
pub(crate) fn shared_text(text: &str) -> Arc<str> {
    if READING.load(Ordering::Relaxed) == 0 {
        return Arc::from(text);
    }
    let mut shard = TABLE[shard_of(text)].lock().unwrap_or_else(|e| e.into_inner());
    let table = shard.get_or_insert_with(HashSet::default);
    if let Some(existing) = table.get(text) {
        return Arc::clone(existing);
    }
    let new: Arc<str> = Arc::from(text);
    table.insert(Arc::clone(&new));
    new
}

/// The shard of an id: its last bytes (where names differ) and its length, mixed.
fn shard_of(text: &str) -> usize {
    let bytes = text.as_bytes();
    let tail = &bytes[bytes.len().saturating_sub(8)..];
    let mut word = [0u8; 8];
    word[..tail.len()].copy_from_slice(tail);
    let mixed = (u64::from_le_bytes(word) ^ bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 60) as usize % SHARDS
}

#[cfg(test)]
mod tests {
    use super::*;

    const VNET: &str = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v";

    #[test]
    fn ids_are_shared_while_a_load_reads_and_copied_outside_one() {
        let reading = reading();
        let a = referenced_id(VNET);
        let b = own_id(VNET);
        let other = referenced_id(&format!("{VNET}w"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert!(!std::ptr::eq(a.as_str(), other.as_str()));
        drop(reading);
        // Tests run in parallel: another test's load may be reading; this one waits for none.
        if READING.load(Ordering::SeqCst) == 0 {
            let c = referenced_id(VNET);
            assert_eq!(c, a);
            assert!(!std::ptr::eq(a.as_str(), c.as_str()));
        }
    }

    #[test]
    fn the_nics_of_a_file_share_their_subnet_and_nsg_ids() {
        let nic = |name: &str| {
            format!(
                r#"{{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/{name}", "type": "Microsoft.Network/networkInterfaces", "properties": {{"networkSecurityGroup": {{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/g"}}, "ipConfigurations": [{{"name": "c", "properties": {{"subnet": {{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/a"}}}}}}]}}}}"#
            )
        };
        let text = format!("[{}, {}]", nic("n1"), nic("n2"));
        let read = crate::parse_one(0, "nics.json", &text);
        let subnet = |i: usize| read.nics[i].ip_configs[0].subnet.as_ref().and_then(|l| l.missing()).unwrap().as_str();
        let nsg = |i: usize| read.nics[i].nsg.as_ref().and_then(|l| l.missing()).unwrap().as_str();
        assert!(subnet(0).ends_with("/subnets/a"));
        assert!(std::ptr::eq(subnet(0), subnet(1)));
        assert!(std::ptr::eq(nsg(0), nsg(1)));
    }

    /// A NIC's reference to its VM and the VM's to the NIC share the text of the other's own id,
    /// though they are read from different files.
    #[test]
    fn a_nic_and_its_vm_in_different_files_share_each_others_ids() {
        let nic_id = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n";
        let vm_id = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/m";
        let nics = format!(
            r#"[{{"id": "{nic_id}", "type": "Microsoft.Network/networkInterfaces", "virtualMachine": {{"id": "{vm_id}"}}, "ipConfigurations": [{{"id": "{nic_id}/ipConfigurations/c", "name": "c", "subnet": {{"id": "{VNET}/subnets/a"}}}}]}}]"#
        );
        let vms = format!(
            r#"[{{"id": "{vm_id}", "type": "Microsoft.Compute/virtualMachines", "networkProfile": {{"networkInterfaces": [{{"id": "{nic_id}"}}]}}}}]"#
        );
        let reading = reading();
        let nics = crate::parse_one(0, "nics.json", &nics);
        let vms = crate::parse_one(1, "vms.json", &vms);
        drop(reading);
        let nic = &nics.nics[0];
        let vm = &vms.vms[0];
        assert!(std::ptr::eq(nic.vm.as_ref().and_then(|l| l.missing()).unwrap().as_str(), vm.id.as_str()));
        assert!(std::ptr::eq(vm.nics[0].missing().unwrap().as_str(), nic.id.as_str()));
        let azroute_model::IpConfigId::OfNic(of) = &nic.ip_configs[0].id else { panic!("not shared") };
        assert!(std::ptr::eq(of.as_str(), nic.id.as_str()));
        assert_eq!(nic.ip_configs[0].id().as_str(), format!("{nic_id}/ipConfigurations/c"));
    }
}
