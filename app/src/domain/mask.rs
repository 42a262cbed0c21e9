//! Masking of personal data for anyone but its owner: always applied on the server, so the
//! whole value never reaches a browser that should not see it.

/// `110105199001011234` → `110105********1234`. Anything that is not 18 characters is
/// masked entirely but for its length, so malformed data cannot leak either.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() == 18 {
        let head: String = chars[..6].iter().collect();
        let tail: String = chars[14..].iter().collect();
        format!("{head}********{tail}")
    } else {
        "*".repeat(chars.len())
    }
}

/// `13812345678` → `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() == 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[7..].iter().collect();
        format!("{head}****{tail}")
    } else {
        "*".repeat(chars.len())
    }
}

/// Compound surnames (复姓) that masking keeps whole.
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "澹台", "端木", "南宫", "独孤",
];

/// `张三` → `张*`, `欧阳明华` → `欧阳**`: the surname stays, the given name is hidden.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    let keep = match chars.len() {
        0 => return String::new(),
        1 => return "*".to_string(),
        2 => 1,
        _ if COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) => 2,
        _ => 1,
    };
    let head: String = chars[..keep].iter().collect();
    format!("{head}{}", "*".repeat(chars.len() - keep))
}

/// An address as the holder's 用证记录 shows whoever looked: `203.0.113.*` for IPv4, the first
/// three groups for IPv6 (`2001:db8:1:*`). Enough to tell places apart, not to find a person.
pub fn mask_ip(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.*")
        }
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => mask_ip(&v4.to_string()),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:*", s[0], s[1], s[2])
            }
        },
        Err(_) => "*".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_keep_only_their_network() {
        assert_eq!(mask_ip("203.0.113.77"), "203.0.113.*");
        assert_eq!(mask_ip("2001:db8:1:2::99"), "2001:db8:1:*");
        assert_eq!(mask_ip("::ffff:10.1.2.3"), "10.1.2.*");
        assert_eq!(mask_ip("not an address"), "*");
    }

    #[test]
    fn id_numbers_keep_region_and_last_four() {
        assert_eq!(mask_id_number("110105199001011234"), "110105********1234");
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
        assert_eq!(mask_id_number("12345"), "*****");
    }

    #[test]
    fn phones_keep_prefix_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn names_keep_the_surname() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("欧阳明华"), "欧阳**");
        assert_eq!(mask_name("欧阳修"), "欧阳*");
        assert_eq!(mask_name("王小明华"), "王***");
        assert_eq!(mask_name("李"), "*");
        assert_eq!(mask_name(""), "");
    }
}
