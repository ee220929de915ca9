//! Attendance locations (考勤地点) and great-circle distance.
//!
//! A punch counts only within the radius of some location. With no
//! locations, or a location without a radius, punches count anywhere (the
//! seed: the radius only takes effect once set). Punches without
//! coordinates (fixed terminals, make-up punches) always count: there is
//! nothing to judge them by.

/// Mean earth radius in metres (IUGG), used by the haversine formula.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres per degree of latitude on the sphere.
const M_PER_DEG: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// A checked attendance location.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// Name shown instead of the raw address.
    pub name: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Allowed radius in metres; `None` = anywhere.
    pub radius_m: Option<f64>,
    /// cos(lat), kept for the flat-earth pre-check.
    cos_lat: f64,
}

impl Location {
    /// A location; `radius_m = None` accepts punches anywhere.
    pub fn new(name: impl Into<String>, lat: f64, lon: f64, radius_m: Option<f64>) -> Self {
        Location { name: name.into(), lat, lon, radius_m, cos_lat: lat.to_radians().cos() }
    }

    /// Cheap verdict for nearby points: `Some(true)` inside, `Some(false)`
    /// outside, `None` when only the exact formula can tell.
    ///
    /// Within 0.1 degree and below 80 degrees latitude the flat-earth
    /// distance is within 0.6 % of the great-circle one, so a 2 % band
    /// around the radius leaves every close call to haversine.
    fn quick_inside(&self, lat: f64, lon: f64, radius: f64) -> Option<bool> {
        let (dlat, dlon) = (lat - self.lat, lon - self.lon);
        if !(dlat.abs() < 0.1 && dlon.abs() < 0.1 && self.lat.abs() < 80.0 && radius < 5_000.0) {
            return None;
        }
        let (y, x) = (dlat * M_PER_DEG, dlon * M_PER_DEG * self.cos_lat);
        let flat = (x * x + y * y).sqrt();
        if flat <= radius * 0.98 {
            Some(true)
        } else if flat >= radius * 1.02 + 0.5 {
            Some(false)
        } else {
            None
        }
    }
}

/// Great-circle distance in metres between two points given in degrees.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    // Clamp guards asin against rounding just above 1 for antipodes.
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Where a punch was made relative to the rule's locations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// Counts: inside a radius, no restriction, or no coordinates.
    Counted,
    /// Outside every radius by at least this many metres; kept, not counted.
    Outside {
        /// Metres beyond the nearest location's radius.
        beyond_m: f64,
        /// Index of the nearest location.
        nearest: usize,
    },
}

/// Haversine's inner term between a point and a location; kept out of the
/// fast path so its trigonometry runs only for close calls.
#[inline(never)]
fn haversine_inner(lat: f64, lon: f64, l: &Location) -> f64 {
    let p = lat.to_radians();
    let dp = l.lat.to_radians() - p;
    let dl = (l.lon - lon).to_radians();
    (dp / 2.0).sin().powi(2) + p.cos() * l.cos_lat * (dl / 2.0).sin().powi(2)
}

/// The name of the first location whose radius holds the position.
pub fn location_of<'a>(locations: &'a [Location], lat: Option<f64>, lon: Option<f64>) -> Option<&'a str> {
    let (lat, lon) = (lat?, lon?);
    locations.iter().find(|l| l.radius_m.is_some() && holds(l, lat, lon)).map(|l| l.name.as_str())
}

/// Is the position within the location's radius (no radius: anywhere)?
fn holds(l: &Location, lat: f64, lon: f64) -> bool {
    let radius = l.radius_m.unwrap_or(f64::INFINITY);
    // Compare haversine's inner term against the radius' own instead of
    // taking asin: the common inside case then costs two sines and a cosine.
    l.quick_inside(lat, lon, radius).unwrap_or_else(|| {
        let limit = (radius / (2.0 * EARTH_RADIUS_M)).min(std::f64::consts::FRAC_PI_2).sin().powi(2);
        haversine_inner(lat, lon, l) <= limit
    })
}

/// Judges a punch position against the locations.
pub fn place(locations: &[Location], lat: Option<f64>, lon: Option<f64>) -> Placement {
    let (Some(lat), Some(lon)) = (lat, lon) else {
        return Placement::Counted;
    };
    if locations.is_empty() || locations.iter().any(|l| l.radius_m.is_none()) {
        return Placement::Counted;
    }
    if locations.iter().any(|l| holds(l, lat, lon)) {
        return Placement::Counted;
    }
    let mut best = (f64::INFINITY, 0usize);
    for (i, l) in locations.iter().enumerate() {
        let radius = l.radius_m.unwrap_or(f64::INFINITY);
        let d = 2.0 * EARTH_RADIUS_M * haversine_inner(lat, lon, l).sqrt().min(1.0).asin();
        let beyond = d - radius;
        if beyond < best.0 {
            best = (beyond, i);
        }
    }
    // NaN coordinates compare false everywhere and end up here, outside.
    Placement::Outside { beyond_m: best.0, nearest: best.1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude() {
        let d = haversine_m(0.0, 0.0, 1.0, 0.0);
        assert!((d - 111_195.08).abs() < 0.1, "{d}");
    }

    #[test]
    fn inside_and_outside() {
        let hq = Location::new("HQ", 31.2304, 121.4737, Some(100.0));
        let locs = [hq];
        assert_eq!(place(&locs, Some(31.2304), Some(121.4737)), Placement::Counted);
        assert!(matches!(place(&locs, Some(32.0), Some(121.4737)), Placement::Outside { .. }));
        assert_eq!(place(&locs, None, None), Placement::Counted);
        assert!(matches!(place(&locs, Some(f64::NAN), Some(0.0)), Placement::Outside { .. }));
    }

    #[test]
    fn names_the_location_a_punch_was_made_at() {
        let locs = [
            Location::new("Anywhere", 0.0, 0.0, None),
            Location::new("HQ", 31.2304, 121.4737, Some(100.0)),
            Location::new("Depot", 31.3000, 121.5000, Some(300.0)),
        ];
        assert_eq!(location_of(&locs, Some(31.2305), Some(121.4737)), Some("HQ"));
        assert_eq!(location_of(&locs, Some(31.3001), Some(121.5001)), Some("Depot"));
        // outside every radius, without coordinates, or NaN: no place
        assert_eq!(location_of(&locs, Some(32.0), Some(121.0)), None);
        assert_eq!(location_of(&locs, None, Some(121.0)), None);
        assert_eq!(location_of(&locs, Some(f64::NAN), Some(121.0)), None);
    }

    #[test]
    fn quick_check_agrees_with_haversine_everywhere() {
        // Deterministic sweep over latitudes, radii and offsets.
        let mut seed = 0x1234_5678_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 1_000_000) as f64 / 1_000_000.0
        };
        for _ in 0..200_000 {
            let lat0 = next() * 170.0 - 85.0;
            let lon0 = next() * 360.0 - 180.0;
            let radius = [0.0, 1.0, 50.0, 300.0, 4_999.0][(next() * 5.0) as usize % 5];
            let lat = lat0 + (next() - 0.5) * 0.2;
            let lon = lon0 + (next() - 0.5) * 0.2;
            let d = haversine_m(lat, lon, lat0, lon0);
            let loc = Location::new("x", lat0, lon0, Some(radius));
            if let Some(inside) = loc.quick_inside(lat, lon, radius) {
                assert_eq!(inside, d <= radius, "lat0 {lat0} lon0 {lon0} r {radius} d {d}");
            }
        }
    }

    #[test]
    fn fast_check_agrees_with_the_distance() {
        let base = (31.0, 121.0);
        for i in 0..2000 {
            let lat = base.0 + (i as f64 - 1000.0) * 1.3e-6;
            let lon = base.1 + (i as f64 % 37.0 - 18.0) * 1.1e-6;
            let d = haversine_m(lat, lon, base.0, base.1);
            let loc = Location::new("x", base.0, base.1, Some(100.0));
            let counted = place(&[loc], Some(lat), Some(lon)) == Placement::Counted;
            if (d - 100.0).abs() > 1e-6 {
                assert_eq!(counted, d <= 100.0, "{d}");
            }
        }
    }

    #[test]
    fn no_radius_means_anywhere() {
        let l = Location::new("x", 0.0, 0.0, None);
        assert_eq!(place(&[l], Some(50.0), Some(50.0)), Placement::Counted);
        assert_eq!(place(&[], Some(50.0), Some(50.0)), Placement::Counted);
    }
}
