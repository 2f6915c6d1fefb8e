//! JSON views of the egress and platform-service objects (§17.1): subnet delegations,
//! load-balancer outbound rules and a VM scale set's network profile.

use crate::dto::{IpConfigDto, ObjectVisitor, RefDto, Str, azure_object};

azure_object! {
    /// One `delegations[]` entry of a subnet.
    pub struct DelegationDto<'a> {
        service_name: Str<'a> = "serviceName",
    }
}

azure_object! {
    /// One `outboundRules[]` entry of a load balancer.
    pub struct OutboundRuleDto<'a> {
        name: Str<'a> = "name",
        frontend_ip_configurations: Vec<RefDto<'a>> = "frontendIPConfigurations",
        backend_address_pool: RefDto<'a> = "backendAddressPool",
    }
}

azure_object! {
    /// `virtualMachineProfile` of a VM scale set.
    pub struct VmssProfileDto<'a> {
        network_profile: VmssNetworkProfileDto<'a> = "networkProfile",
    }
}

azure_object! {
    /// `virtualMachineProfile.networkProfile` of a VM scale set.
    pub struct VmssNetworkProfileDto<'a> {
        network_interface_configurations: Vec<VmssNicConfigDto<'a>> = "networkInterfaceConfigurations",
    }
}

azure_object! {
    /// One `networkInterfaceConfigurations[]` entry of a VM scale set.
    pub struct VmssNicConfigDto<'a> {
        name: Str<'a> = "name",
        ip_configurations: Vec<IpConfigDto<'a>> = "ipConfigurations",
    }
}

/// A reference written as `{"id": …}` (ARM) or as the bare id (Batfish's Azure exports write a
/// subnet's `natGateway` so).
#[derive(Clone, Debug, Default)]
pub struct IdRef<'a>(pub RefDto<'a>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for IdRef<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdRefVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for IdRefVisitor<'a> {
            type Value = IdRef<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a reference (an object with `id`, or the id as a string)")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(IdRef(RefDto { id: Some(Str(std::borrow::Cow::Borrowed(v))), ..RefDto::default() }))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(IdRef(RefDto { id: Some(Str(std::borrow::Cow::Owned(v.to_string()))), ..RefDto::default() }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let obj: RefDto<'a> =
                    ObjectVisitor { allow_properties: true, marker: std::marker::PhantomData }.visit_map(map)?;
                Ok(IdRef(obj))
            }
        }
        deserializer.deserialize_any(IdRefVisitor(std::marker::PhantomData))
    }
}
