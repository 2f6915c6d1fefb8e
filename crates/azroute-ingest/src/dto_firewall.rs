//! Typed views of Azure Firewall's JSON (§16.1): rule collections (classic and policy), rules of
//! every kind, `hubIPAddresses`, a policy's `dnsSettings` and `snat`, and `additionalProperties`.
//! Keys match case-insensitively and `properties` levels merge, as for every other object.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::dto::{Flag, ObjectVisitor, Str, StrList, azure_object, next_key};

/// A scalar kept as text whatever its JSON type (`"443"` or `443`); an object or a list reads
/// as absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LooseText<'a>(pub Option<Str<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for LooseText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LooseVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for LooseVisitor<'a> {
            type Value = LooseText<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Str(Cow::Borrowed(v)))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Str(Cow::Owned(v.to_string())))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Str(Cow::Owned(v.to_string())))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Str(Cow::Owned(v.to_string())))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Str(Cow::Owned(v.to_string())))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Str(Cow::Owned(v.to_string())))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LooseText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LooseText(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LooseText(None))
            }
        }
        deserializer.deserialize_any(LooseVisitor(std::marker::PhantomData))
    }
}

impl LooseText<'_> {
    pub fn text(&self) -> Option<&str> {
        self.0.as_ref().map(|s| s.as_str())
    }
}

/// `additionalProperties` of a classic firewall: a string → string map (§16.1).
#[derive(Clone, Debug, Default)]
pub struct AdditionalPropertiesDto<'a>(pub Vec<(Str<'a>, LooseText<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for AdditionalPropertiesDto<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for MapVisitor<'a> {
            type Value = AdditionalPropertiesDto<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = next_key(&mut map)? {
                    let value: LooseText<'de> = map.next_value()?;
                    out.push((key, value));
                }
                Ok(AdditionalPropertiesDto(out))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl AdditionalPropertiesDto<'_> {
    /// The value of a key, compared without case.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.as_str().eq_ignore_ascii_case(key)).and_then(|(_, v)| v.text())
    }
}

azure_object! {
    /// An application rule's `protocols[]` object.
    pub struct AppProtocolDto<'a> {
        protocol_type: Str<'a> = "protocolType",
        port: LooseText<'a> = "port",
    }
}

/// One `protocols[]` entry: a string (network and NAT rules of a classic firewall) or an
/// object (application rules).
#[derive(Clone, Debug)]
pub enum FwProtocolItem<'a> {
    Name(Str<'a>),
    App(AppProtocolDto<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for FwProtocolItem<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for ItemVisitor<'a> {
            type Value = FwProtocolItem<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a protocol name or an object with `protocolType` and `port`")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FwProtocolItem::Name(Str(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FwProtocolItem::Name(Str(Cow::Owned(v.to_string()))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let obj: AppProtocolDto<'a> =
                    ObjectVisitor { allow_properties: true, marker: std::marker::PhantomData }.visit_map(map)?;
                Ok(FwProtocolItem::App(obj))
            }
        }
        deserializer.deserialize_any(ItemVisitor(std::marker::PhantomData))
    }
}

azure_object! {
    /// A rule of any kind (network, application, NAT; classic or policy).
    pub struct FwRuleDto<'a> {
        name: Str<'a> = "name",
        rule_type: Str<'a> = "ruleType",
        protocols: Vec<FwProtocolItem<'a>> = "protocols",
        ip_protocols: StrList<'a> = "ipProtocols",
        source_addresses: StrList<'a> = "sourceAddresses",
        source_ip_groups: StrList<'a> = "sourceIpGroups",
        destination_addresses: StrList<'a> = "destinationAddresses",
        destination_ip_groups: StrList<'a> = "destinationIpGroups",
        destination_fqdns: StrList<'a> = "destinationFqdns",
        destination_ports: StrList<'a> = "destinationPorts",
        target_fqdns: StrList<'a> = "targetFqdns",
        target_urls: StrList<'a> = "targetUrls",
        fqdn_tags: StrList<'a> = "fqdnTags",
        web_categories: StrList<'a> = "webCategories",
        translated_address: Str<'a> = "translatedAddress",
        translated_port: LooseText<'a> = "translatedPort",
        translated_fqdn: Str<'a> = "translatedFqdn",
    }
}

azure_object! {
    /// `action` of a rule collection.
    pub struct FwActionDto<'a> {
        action_type: Str<'a> = "type",
    }
}

azure_object! {
    /// A rule collection: classic (`{name, properties: {priority, action, rules}}`) or a
    /// policy's (`ruleCollectionType`, `priority`, `action`, `rules`).
    pub struct FwRuleCollectionDto<'a> {
        name: Str<'a> = "name",
        rule_collection_type: Str<'a> = "ruleCollectionType",
        priority: LooseText<'a> = "priority",
        action: FwActionDto<'a> = "action",
        rules: Vec<FwRuleDto<'a>> = "rules",
    }
}

azure_object! {
    /// One `hubIPAddresses.publicIPs.addresses[]` entry.
    pub struct HubAddressDto<'a> {
        address: Str<'a> = "address",
    }
}

azure_object! {
    /// `hubIPAddresses.publicIPs`.
    pub struct HubPublicIpsDto<'a> {
        addresses: Vec<HubAddressDto<'a>> = "addresses",
    }
}

azure_object! {
    /// `hubIPAddresses` of an `AZFW_Hub` firewall.
    pub struct HubIpAddressesDto<'a> {
        private_ip_address: Str<'a> = "privateIPAddress",
        public_ips: HubPublicIpsDto<'a> = "publicIPs",
    }
}

azure_object! {
    /// `dnsSettings` of a firewall policy.
    pub struct DnsSettingsDto<'a> {
        enable_proxy: Flag = "enableProxy",
    }
}

azure_object! {
    /// `snat` of a firewall policy.
    pub struct SnatDto<'a> {
        private_ranges: StrList<'a> = "privateRanges",
        auto_learn_private_ranges: Str<'a> = "autoLearnPrivateRanges",
    }
}
