//! The value information block: VIF, VIFEs and the plain-text unit.
//!
//! Three code tables say what a record measures (EN 13757-3:2013 tables
//! 10, 12 and 14): the primary table (VIF 0x00–0x7A), the first extension
//! table (VIF 0x7B/0xFB, true code in the next byte) and the second
//! extension table (VIF 0x7D/0xFD). VIF 0x7C/0xFC carries its unit as text
//! (length byte then ASCII, last character first, right after the VIF),
//! 0x7E/0xFE means "any VIF" (readout requests) and 0x7F/0xFF makes the
//! record manufacturer specific.
//!
//! After the (extended) VIF come up to ten *combinable* VIFEs (table 15):
//! record error codes (0x15–0x1C), averages and compact profiles,
//! per-time and per-unit qualifiers, accumulation only of
//! positive or negative contributions, limit values, durations and dates of
//! limit exceedance, multiplicative corrections (0x70–0x77: ×10^(n−6),
//! 0x7D: ×1000) and the manufacturer-specific marker 0x7F. The
//! multiplicative corrections are folded into [`Vif::exponent`]; the others
//! are listed by [`Vif::extensions`].
//!
//! Units are SI-style with the scale in the exponent: the FB table's MWh
//! is `Wh` with exponent +6, GJ is `J` with +9, tonnes are `kg` with +3.

use super::Error;
use super::value::Text;

/// The maximum number of VIFEs (EN 13757-3).
pub const MAX_VIFE: usize = 10;

/// Which code table the VIF came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Table {
    /// The primary table (VIF 0x00–0x7A).
    Primary,
    /// First extension table (VIF 0xFB): code in the first VIFE.
    Fb,
    /// Second extension table (VIF 0xFD): code in the first VIFE.
    Fd,
    /// Plain-text unit (VIF 0x7C/0xFC).
    PlainText,
    /// Any VIF (0x7E/0xFE), used in readout requests.
    Any,
    /// Manufacturer specific (0x7F/0xFF).
    Manufacturer,
    /// The record has no VIF (manufacturer data, global readout).
    NoVif,
}

macro_rules! quantities {
    ($( $(#[$m:meta])* $v:ident = $n:literal, )*) => {
        /// What a record measures, from its VIF.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum Quantity {
            $( $(#[$m])* #[cfg_attr(feature = "serde", serde(rename = $n))] $v, )*
        }
        impl Quantity {
            /// The snake_case name used in JSON output (and by serde).
            pub const fn name(self) -> &'static str {
                match self { $( Quantity::$v => $n, )* }
            }
        }
    };
}

quantities! {
    /// Energy (Wh or J).
    Energy = "energy",
    /// Reactive energy (varh).
    ReactiveEnergy = "reactive_energy",
    /// Apparent energy (VAh).
    ApparentEnergy = "apparent_energy",
    /// Volume (m3, or non-metric units).
    Volume = "volume",
    /// Mass (kg).
    Mass = "mass",
    /// On time.
    OnTime = "on_time",
    /// Operating time.
    OperatingTime = "operating_time",
    /// Power (W or J/h).
    Power = "power",
    /// Volume flow.
    VolumeFlow = "volume_flow",
    /// Mass flow.
    MassFlow = "mass_flow",
    /// Flow temperature.
    FlowTemperature = "flow_temperature",
    /// Return temperature.
    ReturnTemperature = "return_temperature",
    /// Temperature difference.
    TemperatureDifference = "temperature_difference",
    /// External temperature.
    ExternalTemperature = "external_temperature",
    /// Pressure.
    Pressure = "pressure",
    /// A date (VIF 0x6C, type G).
    Date = "date",
    /// A date and time (VIF 0x6D, types F, I, J).
    DateTime = "date_time",
    /// Units for heat-cost allocators (dimensionless).
    HcaUnits = "hca_units",
    /// Averaging duration.
    AveragingDuration = "averaging_duration",
    /// Actuality duration.
    ActualityDuration = "actuality_duration",
    /// Fabrication number.
    FabricationNumber = "fabrication_number",
    /// (Enhanced) identification.
    Identification = "identification",
    /// Bus address.
    BusAddress = "bus_address",
    /// Relative humidity.
    RelativeHumidity = "relative_humidity",
    /// Frequency.
    Frequency = "frequency",
    /// Phase angle voltage to voltage.
    PhaseVoltageVoltage = "phase_u_u",
    /// Phase angle voltage to current.
    PhaseVoltageCurrent = "phase_u_i",
    /// Cold / warm temperature limit.
    TemperatureLimit = "temperature_limit",
    /// Cumulative count of maximum power.
    CumulativeMaxPower = "cumulative_max_power",
    /// Credit in local currency units.
    Credit = "credit",
    /// Debit in local currency units.
    Debit = "debit",
    /// Unique message identification (formerly access number).
    AccessNumber = "access_number",
    /// Device type (medium).
    Medium = "medium",
    /// Manufacturer.
    Manufacturer = "manufacturer",
    /// Parameter set identification.
    ParameterSet = "parameter_set",
    /// Model / version.
    ModelVersion = "model_version",
    /// Hardware version.
    HardwareVersion = "hardware_version",
    /// Metrology (firmware) version.
    FirmwareVersion = "firmware_version",
    /// Other software version.
    SoftwareVersion = "software_version",
    /// Customer location.
    CustomerLocation = "customer_location",
    /// Customer.
    Customer = "customer",
    /// Access code user.
    AccessCodeUser = "access_code_user",
    /// Access code operator.
    AccessCodeOperator = "access_code_operator",
    /// Access code system operator.
    AccessCodeSystemOperator = "access_code_system_operator",
    /// Access code developer.
    AccessCodeDeveloper = "access_code_developer",
    /// Password.
    Password = "password",
    /// Error flags (binary).
    ErrorFlags = "error_flags",
    /// Error mask.
    ErrorMask = "error_mask",
    /// Security key.
    SecurityKey = "security_key",
    /// Digital output (binary).
    DigitalOutput = "digital_output",
    /// Digital input (binary).
    DigitalInput = "digital_input",
    /// Baud rate.
    BaudRate = "baud_rate",
    /// Response delay time (bit times).
    ResponseDelay = "response_delay",
    /// Retry.
    Retry = "retry",
    /// Remote control (device specific).
    RemoteControl = "remote_control",
    /// First storage number for cyclic storage.
    FirstStorageNumber = "first_storage_number",
    /// Last storage number for cyclic storage.
    LastStorageNumber = "last_storage_number",
    /// Size of storage block.
    StorageBlockSize = "storage_block_size",
    /// Descriptor for tariff and subunit.
    TariffDescriptor = "tariff_descriptor",
    /// Storage interval.
    StorageInterval = "storage_interval",
    /// Operator specific data.
    OperatorData = "operator_data",
    /// Time point second.
    TimePointSecond = "time_point_second",
    /// Duration since last readout.
    DurationSinceReadout = "duration_since_readout",
    /// Start (date/time) of tariff.
    TariffStart = "tariff_start",
    /// Duration of tariff.
    TariffDuration = "tariff_duration",
    /// Period of tariff.
    TariffPeriod = "tariff_period",
    /// Dimensionless / no VIF.
    Dimensionless = "dimensionless",
    /// Data container for the wireless M-Bus protocol.
    WmbusContainer = "wmbus_container",
    /// Period of nominal data transmissions.
    TransmissionPeriod = "transmission_period",
    /// Reset counter.
    ResetCounter = "reset_counter",
    /// Cumulation counter.
    CumulationCounter = "cumulation_counter",
    /// Control signal.
    ControlSignal = "control_signal",
    /// Day of week.
    DayOfWeek = "day_of_week",
    /// Week number.
    WeekNumber = "week_number",
    /// Time point of day change.
    DayChange = "day_change",
    /// State of parameter activation.
    ParameterActivation = "parameter_activation",
    /// Special supplier information.
    SupplierInformation = "supplier_information",
    /// Duration since last cumulation.
    DurationSinceCumulation = "duration_since_cumulation",
    /// Operating time battery.
    BatteryOperatingTime = "battery_operating_time",
    /// Date and time of battery change.
    BatteryChange = "battery_change",
    /// RF level.
    RfLevel = "rf_level",
    /// Daylight saving (beginning, ending, deviation).
    DaylightSaving = "daylight_saving",
    /// Listening window management.
    ListeningWindow = "listening_window",
    /// Remaining battery life time.
    RemainingBatteryLife = "remaining_battery_life",
    /// Number of times the meter was stopped.
    MeterStops = "meter_stops",
    /// Data container for a manufacturer-specific protocol.
    ManufacturerContainer = "manufacturer_container",
    /// Voltage.
    Voltage = "voltage",
    /// Current.
    Current = "current",
    /// A unit given as plain text.
    PlainText = "plain_text",
    /// Any VIF (readout request).
    Any = "any",
    /// Manufacturer specific.
    ManufacturerSpecific = "manufacturer_specific",
    /// A code the tables mark reserved, or one this decoder does not know.
    Unknown = "unknown",
}

/// How the data of a record with this VIF is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Kind {
    /// A signed number (type B integers, BCD, reals).
    Number,
    /// An unsigned number or bit field (type C/D: identifiers, flags).
    Unsigned,
    /// A date/time, the type chosen by the data length.
    Date,
    /// Daylight-saving rules (data type K, 32-bit).
    DaylightSaving,
}

/// One table entry: quantity, unit, power of ten, data kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry(Quantity, &'static str, i8, Kind);

const fn num(q: Quantity, unit: &'static str, exp: i8) -> Entry {
    Entry(q, unit, exp, Kind::Number)
}
const fn uns(q: Quantity) -> Entry {
    Entry(q, "", 0, Kind::Unsigned)
}
const fn date(q: Quantity) -> Entry {
    Entry(q, "", 0, Kind::Date)
}
const UNKNOWN: Entry = Entry(Quantity::Unknown, "", 0, Kind::Number);

/// Seconds, minutes, hours, days for a 2-bit `nn`.
const fn time_unit(nn: u8) -> &'static str {
    match nn & 3 {
        0 => "s",
        1 => "min",
        2 => "h",
        _ => "d",
    }
}

/// Hours, days, months, years for a 2-bit `pp`.
const fn long_time_unit(pp: u8) -> &'static str {
    match pp & 3 {
        0 => "h",
        1 => "d",
        2 => "month",
        _ => "year",
    }
}

const fn low(code: u8, bits: u8) -> i8 {
    (code & ((1 << bits) - 1)) as i8
}

/// The primary table (EN 13757-3 table 10), `code` without the extension bit.
const fn primary(code: u8) -> Entry {
    use Quantity as Q;
    match code {
        0x00..=0x07 => num(Q::Energy, "Wh", low(code, 3) - 3),
        0x08..=0x0F => num(Q::Energy, "J", low(code, 3)),
        0x10..=0x17 => num(Q::Volume, "m3", low(code, 3) - 6),
        0x18..=0x1F => num(Q::Mass, "kg", low(code, 3) - 3),
        0x20..=0x23 => num(Q::OnTime, time_unit(code), 0),
        0x24..=0x27 => num(Q::OperatingTime, time_unit(code), 0),
        0x28..=0x2F => num(Q::Power, "W", low(code, 3) - 3),
        0x30..=0x37 => num(Q::Power, "J/h", low(code, 3)),
        0x38..=0x3F => num(Q::VolumeFlow, "m3/h", low(code, 3) - 6),
        0x40..=0x47 => num(Q::VolumeFlow, "m3/min", low(code, 3) - 7),
        0x48..=0x4F => num(Q::VolumeFlow, "m3/s", low(code, 3) - 9),
        0x50..=0x57 => num(Q::MassFlow, "kg/h", low(code, 3) - 3),
        0x58..=0x5B => num(Q::FlowTemperature, "°C", low(code, 2) - 3),
        0x5C..=0x5F => num(Q::ReturnTemperature, "°C", low(code, 2) - 3),
        0x60..=0x63 => num(Q::TemperatureDifference, "K", low(code, 2) - 3),
        0x64..=0x67 => num(Q::ExternalTemperature, "°C", low(code, 2) - 3),
        0x68..=0x6B => num(Q::Pressure, "bar", low(code, 2) - 3),
        0x6C => date(Q::Date),
        0x6D => date(Q::DateTime),
        0x6E => num(Q::HcaUnits, "", 0),
        0x70..=0x73 => num(Q::AveragingDuration, time_unit(code), 0),
        0x74..=0x77 => num(Q::ActualityDuration, time_unit(code), 0),
        0x78 => uns(Q::FabricationNumber),
        0x79 => uns(Q::Identification),
        0x7A => uns(Q::BusAddress),
        _ => UNKNOWN,
    }
}

/// The first extension table (VIF 0xFB; EN 13757-3 table 12).
const fn table_fb(code: u8) -> Entry {
    use Quantity as Q;
    match code {
        0x00..=0x01 => num(Q::Energy, "Wh", low(code, 1) + 5),
        0x02..=0x03 => num(Q::ReactiveEnergy, "varh", low(code, 1) + 3),
        0x04..=0x05 => num(Q::ApparentEnergy, "VAh", low(code, 1) + 3),
        0x08..=0x09 => num(Q::Energy, "J", low(code, 1) + 8),
        0x0C..=0x0F => num(Q::Energy, "cal", low(code, 2) + 5),
        0x10..=0x11 => num(Q::Volume, "m3", low(code, 1) + 2),
        0x18..=0x19 => num(Q::Mass, "kg", low(code, 1) + 5),
        0x1A..=0x1B => num(Q::RelativeHumidity, "%", low(code, 1) - 1),
        0x20 => num(Q::Volume, "ft3", 0),
        0x21 => num(Q::Volume, "ft3", -1),
        0x22 => num(Q::Volume, "US gal", -1),
        0x23 => num(Q::Volume, "US gal", 0),
        0x24 => num(Q::VolumeFlow, "US gal/min", -3),
        0x25 => num(Q::VolumeFlow, "US gal/min", 0),
        0x26 => num(Q::VolumeFlow, "US gal/h", 0),
        0x28..=0x29 => num(Q::Power, "W", low(code, 1) + 5),
        0x2A => num(Q::PhaseVoltageVoltage, "°", -1),
        0x2B => num(Q::PhaseVoltageCurrent, "°", -1),
        0x2C..=0x2F => num(Q::Frequency, "Hz", low(code, 2) - 3),
        0x30..=0x31 => num(Q::Power, "J/h", low(code, 1) + 8),
        0x58..=0x5B => num(Q::FlowTemperature, "°F", low(code, 2) - 3),
        0x5C..=0x5F => num(Q::ReturnTemperature, "°F", low(code, 2) - 3),
        0x60..=0x63 => num(Q::TemperatureDifference, "°F", low(code, 2) - 3),
        0x64..=0x67 => num(Q::ExternalTemperature, "°F", low(code, 2) - 3),
        0x70..=0x73 => num(Q::TemperatureLimit, "°F", low(code, 2) - 3),
        0x74..=0x77 => num(Q::TemperatureLimit, "°C", low(code, 2) - 3),
        0x78..=0x7F => num(Q::CumulativeMaxPower, "W", low(code, 3) - 3),
        _ => UNKNOWN,
    }
}

/// The second extension table (VIF 0xFD; EN 13757-3 table 14).
const fn table_fd(code: u8) -> Entry {
    use Quantity as Q;
    match code {
        0x00..=0x03 => num(Q::Credit, "currency", low(code, 2) - 3),
        0x04..=0x07 => num(Q::Debit, "currency", low(code, 2) - 3),
        0x08 => uns(Q::AccessNumber),
        0x09 => uns(Q::Medium),
        0x0A => uns(Q::Manufacturer),
        0x0B => uns(Q::ParameterSet),
        0x0C => uns(Q::ModelVersion),
        0x0D => uns(Q::HardwareVersion),
        0x0E => uns(Q::FirmwareVersion),
        0x0F => uns(Q::SoftwareVersion),
        0x10 => uns(Q::CustomerLocation),
        0x11 => uns(Q::Customer),
        0x12 => uns(Q::AccessCodeUser),
        0x13 => uns(Q::AccessCodeOperator),
        0x14 => uns(Q::AccessCodeSystemOperator),
        0x15 => uns(Q::AccessCodeDeveloper),
        0x16 => uns(Q::Password),
        0x17 => uns(Q::ErrorFlags),
        0x18 => uns(Q::ErrorMask),
        0x19 => uns(Q::SecurityKey),
        0x1A => uns(Q::DigitalOutput),
        0x1B => uns(Q::DigitalInput),
        0x1C => num(Q::BaudRate, "Bd", 0),
        0x1D => num(Q::ResponseDelay, "bit times", 0),
        0x1E => num(Q::Retry, "", 0),
        0x1F => uns(Q::RemoteControl),
        0x20 => num(Q::FirstStorageNumber, "", 0),
        0x21 => num(Q::LastStorageNumber, "", 0),
        0x22 => num(Q::StorageBlockSize, "", 0),
        0x23 => uns(Q::TariffDescriptor),
        0x24..=0x27 => num(Q::StorageInterval, time_unit(code), 0),
        0x28 => num(Q::StorageInterval, "month", 0),
        0x29 => num(Q::StorageInterval, "year", 0),
        0x2A => uns(Q::OperatorData),
        0x2B => num(Q::TimePointSecond, "s", 0),
        0x2C..=0x2F => num(Q::DurationSinceReadout, time_unit(code), 0),
        0x30 => date(Q::TariffStart),
        0x31..=0x33 => num(Q::TariffDuration, time_unit(code), 0),
        0x34..=0x37 => num(Q::TariffPeriod, time_unit(code), 0),
        0x38 => num(Q::TariffPeriod, "month", 0),
        0x39 => num(Q::TariffPeriod, "year", 0),
        0x3A => num(Q::Dimensionless, "", 0),
        0x3B => uns(Q::WmbusContainer),
        0x3C..=0x3F => num(Q::TransmissionPeriod, time_unit(code), 0),
        0x40..=0x4F => num(Q::Voltage, "V", low(code, 4) - 9),
        0x50..=0x5F => num(Q::Current, "A", low(code, 4) - 12),
        0x60 => num(Q::ResetCounter, "", 0),
        0x61 => num(Q::CumulationCounter, "", 0),
        0x62 => uns(Q::ControlSignal),
        0x63 => num(Q::DayOfWeek, "", 0),
        0x64 => num(Q::WeekNumber, "", 0),
        0x65 => uns(Q::DayChange),
        0x66 => uns(Q::ParameterActivation),
        0x67 => uns(Q::SupplierInformation),
        0x68..=0x6B => num(Q::DurationSinceCumulation, long_time_unit(code), 0),
        0x6C..=0x6F => num(Q::BatteryOperatingTime, long_time_unit(code), 0),
        0x70 => date(Q::BatteryChange),
        0x71 => num(Q::RfLevel, "dBm", 0),
        0x72 => Entry(Q::DaylightSaving, "", 0, Kind::DaylightSaving),
        0x73 => uns(Q::ListeningWindow),
        0x74 => num(Q::RemainingBatteryLife, "d", 0),
        0x75 => num(Q::MeterStops, "", 0),
        0x76 => uns(Q::ManufacturerContainer),
        _ => UNKNOWN,
    }
}

/// A combinable (orthogonal) VIFE, EN 13757-3 table 15. The byte is kept
/// without its extension bit; [`Vife::extended`] is set for a code of the
/// combinable extension table (after VIFE 0x7C/0xFC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Vife {
    /// The code without the extension bit.
    pub code: u8,
    /// True for a code from the combinable extension table (after 0xFC).
    pub extended: bool,
}

impl Vife {
    /// What the code means.
    pub const fn description(self) -> &'static str {
        if self.extended {
            return match self.code {
                0x01 => "at phase L1",
                0x02 => "at phase L2",
                0x03 => "at phase L3",
                0x04 => "at neutral",
                0x05 => "between phases L1 and L2",
                0x06 => "between phases L2 and L3",
                0x07 => "between phases L3 and L1",
                0x08 => "at quadrant Q1",
                0x09 => "at quadrant Q2",
                0x0A => "at quadrant Q3",
                0x0B => "at quadrant Q4",
                0x0C => "delta between import and export",
                0x10 => "accumulation of absolute values of both contributions",
                0x11 => "data presented with type C (unsigned)",
                0x12 => "data presented with type D (bit field)",
                _ => "reserved (combinable extension)",
            };
        }
        match self.code {
            // EN 13757-3:2013 table 15: 0x00–0x11 reserved (object actions
            // in the direction to the meter), 0x15–0x1C record error codes.
            0x00..=0x11 => "reserved",
            0x12 => "average value",
            0x13 => "inverse compact profile",
            0x14 => "relative deviation",
            0x15..=0x1C => "record error code (meter to controller)",
            0x1D => "standard conformant data content",
            0x1E => "compact profile with register numbers",
            0x1F => "compact profile",
            0x20 => "per second",
            0x21 => "per minute",
            0x22 => "per hour",
            0x23 => "per day",
            0x24 => "per week",
            0x25 => "per month",
            0x26 => "per year",
            0x27 => "per revolution / measurement",
            0x28 => "increment per input pulse on input channel 0",
            0x29 => "increment per input pulse on input channel 1",
            0x2A => "increment per output pulse on output channel 0",
            0x2B => "increment per output pulse on output channel 1",
            0x2C => "per litre",
            0x2D => "per m3",
            0x2E => "per kg",
            0x2F => "per K",
            0x30 => "per kWh",
            0x31 => "per GJ",
            0x32 => "per kW",
            0x33 => "per (K·l)",
            0x34 => "per V",
            0x35 => "per A",
            0x36 => "multiplied by s",
            0x37 => "multiplied by s/V",
            0x38 => "multiplied by s/A",
            0x39 => "start date(/time) of",
            0x3A => "uncorrected unit or value",
            0x3B => "accumulation only if positive contributions (forward flow)",
            0x3C => "accumulation of absolute value only if negative contributions (backward flow)",
            0x3D => "alternate non-metric unit system",
            0x3E => "value at base conditions",
            0x3F => "OBIS declaration",
            0x40 => "lower limit value",
            0x48 => "upper limit value",
            0x41 => "number of exceeds of lower limit",
            0x49 => "number of exceeds of upper limit",
            0x42 => "date(/time) of begin of first lower limit exceed",
            0x43 => "date(/time) of end of first lower limit exceed",
            0x46 => "date(/time) of begin of last lower limit exceed",
            0x47 => "date(/time) of end of last lower limit exceed",
            0x4A => "date(/time) of begin of first upper limit exceed",
            0x4B => "date(/time) of end of first upper limit exceed",
            0x4E => "date(/time) of begin of last upper limit exceed",
            0x4F => "date(/time) of end of last upper limit exceed",
            0x44 | 0x45 | 0x4C | 0x4D => "reserved",
            0x50..=0x5F => "duration of limit exceed",
            0x60..=0x67 => "duration of",
            0x68 => "value during lower limit exceed",
            0x69 => "leakage values",
            0x6C => "value during upper limit exceed",
            0x6D => "reserved",
            0x6A | 0x6B | 0x6E | 0x6F => "date(/time) of begin/end of",
            0x70..=0x77 => "multiplicative correction factor 10^(n-6)",
            0x78..=0x7B => "additive correction constant 10^(n-3) of the VIF unit",
            0x7C => "combinable extension follows",
            0x7D => "multiplicative correction factor 1000",
            0x7E => "future value",
            _ => "manufacturer specific",
        }
    }

    /// True when the record's data is a date/time because of this VIFE
    /// ("start date of", "date of limit exceed", "date of begin/end of").
    pub const fn makes_date(self) -> bool {
        !self.extended
            && matches!(
                self.code,
                0x39 | 0x42
                    | 0x43
                    | 0x46
                    | 0x47
                    | 0x4A
                    | 0x4B
                    | 0x4E
                    | 0x4F
                    | 0x6A
                    | 0x6B
                    | 0x6E
                    | 0x6F
            )
    }

    /// The power of ten this VIFE multiplies the value by (0 for none).
    pub const fn exponent(self) -> i8 {
        if self.extended {
            return 0;
        }
        match self.code {
            0x70..=0x77 => low(self.code, 3) - 6,
            0x7D => 3,
            _ => 0,
        }
    }

    /// True for a record error code (0x15–0x1C, EN 13757-3:2013 table 15):
    /// the record reports an error rather than a measurement.
    pub const fn is_error(self) -> bool {
        !self.extended && matches!(self.code, 0x15..=0x1C)
    }
}

/// A parsed VIB: what the record measures, in which unit and scale.
///
/// The unit and the plain-text unit are accessors ([`Vif::unit`],
/// [`Vif::plain_text`]) computed from the fields: keeping them out of the
/// struct makes every [`super::Record`] 32 bytes smaller to build.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vif<'a> {
    /// Every byte of the VIB: VIF, VIFEs and the plain-text unit.
    bytes: &'a [u8],
    /// Where the combinable VIFEs start and end in `bytes`.
    combinable: (u16, u16),
    /// Index of the table entry in [`ENTRIES`] (for the unit).
    entry: u16,
    /// The code table.
    pub table: Table,
    /// The code within its table, without the extension bit.
    pub code: u8,
    /// What is measured.
    pub quantity: Quantity,
    /// The power of ten applied to the raw data, including the
    /// multiplicative-correction VIFEs.
    pub exponent: i8,
    /// How the data is read.
    pub kind: Kind,
}

/// Serialized with the unit and the plain-text unit as fields (`table`,
/// `code`, `quantity`, `unit`, `exponent`, `kind`, `plain_text`).
#[cfg(feature = "serde")]
impl serde::Serialize for Vif<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Vif", 7)?;
        st.serialize_field("table", &self.table)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("quantity", &self.quantity)?;
        st.serialize_field("unit", self.unit())?;
        st.serialize_field("exponent", &self.exponent)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("plain_text", &self.plain_text())?;
        st.end()
    }
}

impl<'a> Vif<'a> {
    /// A record without a VIB.
    pub(crate) const NONE: Vif<'static> = Vif {
        bytes: &[],
        combinable: (0, 0),
        entry: SPECIAL_AT + 2,
        table: Table::NoVif,
        code: 0,
        quantity: Quantity::ManufacturerSpecific,
        exponent: 0,
        kind: Kind::Number,
    };

    /// The SI-style unit: `Wh`, `m3`, `°C`, `W`, `s`, … (empty when
    /// dimensionless or not a measurement; see [`Vif::plain_text`] for
    /// VIF 0x7C/0xFC).
    pub fn unit(&self) -> &'static str {
        ENTRIES.get(usize::from(self.entry)).map_or("", |e| e.1)
    }

    /// The unit as text for VIF 0x7C/0xFC.
    pub fn plain_text(&self) -> Option<Text<'a>> {
        if self.table != Table::PlainText {
            return None;
        }
        // VIF, length, then the text (checked when parsing).
        let n = usize::from(*self.bytes.get(1)?);
        self.bytes.get(2..2 + n).map(Text)
    }

    /// The VIB as sent.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The combinable VIFEs, in order, with their meanings. Codes from the
    /// combinable extension table (after 0xFC) come out with `extended`.
    pub fn extensions(&self) -> impl Iterator<Item = Vife> + 'a {
        let (s, e) = self.combinable;
        let b = self
            .bytes
            .get(usize::from(s)..usize::from(e))
            .unwrap_or(&[]);
        let mut ext_next = false;
        b.iter().filter_map(move |&x| {
            let code = x & 0x7F;
            if ext_next {
                ext_next = false;
                return Some(Vife {
                    code,
                    extended: true,
                });
            }
            if code == 0x7C {
                ext_next = true;
                return None;
            }
            Some(Vife {
                code,
                extended: false,
            })
        })
    }

    /// True when a VIFE 0x7F (or the VIF itself) makes the record
    /// manufacturer specific.
    pub fn is_manufacturer_specific(&self) -> bool {
        self.table == Table::Manufacturer
            || self.extensions().any(|v| !v.extended && v.code == 0x7F)
    }

    /// The first error-code VIFE (0x00–0x1F), if any.
    pub fn error_code(&self) -> Option<Vife> {
        self.extensions().find(|v| v.is_error())
    }
}

/// Every table entry in one array, so that the per-record lookup is one
/// load instead of a chain of range tests: the primary table (VIF
/// 0x00–0x7F) at 0, the FB and FD extension tables (codes 0x00–0x7F) at
/// [`FB_AT`] and [`FD_AT`], then what VIF 0x7C, 0x7E and 0x7F mean and an
/// unknown code at [`SPECIAL_AT`].
static ENTRIES: [Entry; 3 * 128 + 4] = all_entries();
const FB_AT: u16 = 128;
const FD_AT: u16 = 256;
const SPECIAL_AT: u16 = 384;

const fn all_entries() -> [Entry; 3 * 128 + 4] {
    let mut t = [UNKNOWN; 3 * 128 + 4];
    let mut rest: &mut [Entry] = &mut t;
    let mut i = 0u16;
    while let [slot, tail @ ..] = rest {
        let code = (i % 128) as u8;
        *slot = match i / 128 {
            0 => primary(code),
            1 => table_fb(code),
            2 => table_fd(code),
            _ => match code {
                0 => Entry(Quantity::PlainText, "", 0, Kind::Number),
                1 => Entry(Quantity::Any, "", 0, Kind::Number),
                2 => Entry(Quantity::ManufacturerSpecific, "", 0, Kind::Number),
                _ => UNKNOWN,
            },
        };
        i += 1;
        rest = tail;
    }
    t
}

/// Parses the VIB at the start of `b` (the bytes after the DIB); `offset`
/// is `b`'s position in the payload, used in error reports.
///
/// ```
/// use webdyn_wmbus::app::vif::{self, Quantity};
/// let v = vif::parse(&[0xFB, 0x1A], 0)?; // FB 1A: relative humidity, 0.1 %
/// assert_eq!((v.quantity, v.unit(), v.exponent), (Quantity::RelativeHumidity, "%", -1));
/// # Ok::<(), webdyn_wmbus::app::Error>(())
/// ```
#[inline]
pub fn parse(b: &[u8], offset: usize) -> Result<Vif<'_>, Error> {
    let mut v = Vif::NONE;
    parse_into(b, offset, &mut v)?;
    Ok(v)
}

/// [`parse`] into `v` (left unspecified on error), always inlined into the
/// record iterator: filling a caller's struct field by field lets the
/// compiler keep it in registers and write it once into the record, where
/// a returned `Result<Vif, _>` is a tagged union copied through memory.
#[inline(always)]
pub(crate) fn parse_into<'a>(b: &'a [u8], offset: usize, v: &mut Vif<'a>) -> Result<(), Error> {
    let Some(&vif) = b.first() else {
        return Err(Error::TruncatedVib { offset });
    };
    let code7 = vif & 0x7F;
    let mut ext = vif & 0x80 != 0;
    let mut pos = 1usize;
    let mut vifes = 0usize;
    let mut table = Table::Primary;
    let mut code = code7;
    // Every branch picks an index in the entry table, and the entry is
    // loaded once at the end: its fields go straight to registers (an
    // entry returned by value from each branch would be merged through a
    // stack copy).
    let index: u16 = if code7 < 0x7B {
        // The common case.
        u16::from(code7)
    } else {
        match code7 {
            0x7B | 0x7D => {
                table = if code7 == 0x7B { Table::Fb } else { Table::Fd };
                if !ext {
                    // An extension VIF without its code byte: the table says
                    // a VIFE must follow, but the length is still known.
                    SPECIAL_AT + 3
                } else {
                    let Some(&c) = b.get(pos) else {
                        return Err(Error::TruncatedVib {
                            offset: offset + pos,
                        });
                    };
                    pos += 1;
                    vifes += 1;
                    ext = c & 0x80 != 0;
                    code = c & 0x7F;
                    (if code7 == 0x7B { FB_AT } else { FD_AT }) + u16::from(code)
                }
            }
            0x7C => {
                let Some(&n) = b.get(pos) else {
                    return Err(Error::TruncatedVib {
                        offset: offset + pos,
                    });
                };
                let n = usize::from(n);
                if b.get(pos + 1..pos + 1 + n).is_none() {
                    return Err(Error::TruncatedPlainText {
                        offset: offset + pos,
                        len: n,
                    });
                }
                pos += 1 + n;
                table = Table::PlainText;
                SPECIAL_AT
            }
            0x7E => {
                table = Table::Any;
                SPECIAL_AT + 1
            }
            _ => {
                table = Table::Manufacturer;
                SPECIAL_AT + 2
            }
        }
    };
    let entry = match ENTRIES.get(usize::from(index)) {
        Some(e) => *e,
        None => UNKNOWN,
    };
    let Entry(quantity, _, mut exponent, mut kind) = entry;
    let start = pos;
    if ext {
        // One pass over the combinable VIFEs: find the end of the chain and
        // fold their meaning in. On an error the partial result is dropped.
        let mut ext_next = false;
        let mut manufacturer = false;
        while ext {
            if vifes == MAX_VIFE {
                return Err(Error::TooManyVifes {
                    offset: offset + pos,
                });
            }
            let Some(&x) = b.get(pos) else {
                return Err(Error::TruncatedVib {
                    offset: offset + pos,
                });
            };
            ext = x & 0x80 != 0;
            pos += 1;
            vifes += 1;
            let e = Vife {
                code: x & 0x7F,
                extended: ext_next,
            };
            ext_next = !ext_next && e.code == 0x7C;
            if manufacturer || (!e.extended && e.code == 0x7C) {
                // After VIFE 0x7F the rest is manufacturer specific.
                continue;
            }
            if !e.extended && e.code == 0x7F {
                manufacturer = true;
                continue;
            }
            exponent = exponent.saturating_add(e.exponent());
            if e.makes_date() {
                kind = Kind::Date;
            }
            // Combinable extension 0x11/0x12: the data is type C (unsigned)
            // or type D (bit field) instead of the signed type B.
            if e.extended && matches!(e.code, 0x11 | 0x12) && kind == Kind::Number {
                kind = Kind::Unsigned;
            }
        }
    }
    *v = Vif {
        bytes: b.get(..pos).unwrap_or(&[]),
        // pos ≤ 2 + 255 + 10: always fits.
        combinable: (
            u16::try_from(start).unwrap_or(0),
            u16::try_from(pos).unwrap_or(0),
        ),
        entry: index,
        table,
        code,
        quantity,
        exponent,
        kind,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::String;
    use std::vec::Vec;

    #[test]
    fn primary_energy_and_volume() {
        let v = parse(&[0x04], 0).unwrap();
        assert_eq!(
            (v.quantity, v.unit(), v.exponent),
            (Quantity::Energy, "Wh", 1)
        );
        let v = parse(&[0x13], 0).unwrap();
        assert_eq!(
            (v.quantity, v.unit(), v.exponent),
            (Quantity::Volume, "m3", -3)
        );
        let v = parse(&[0x5A], 0).unwrap();
        assert_eq!(
            (v.quantity, v.unit(), v.exponent),
            (Quantity::FlowTemperature, "°C", -1)
        );
    }

    /// The top code of each primary-table range, against the scale the
    /// EN 13757-3 table gives for it (nnn = 7 or nn = 3).
    #[test]
    fn primary_table_range_ends() {
        let cases: &[(u8, &str, i8)] = &[
            (0x07, "Wh", 4),     // 10^(7-3) Wh = 10 kWh
            (0x0F, "J", 7),      // 10^7 J = 10 MJ
            (0x17, "m3", 1),     // 10^(7-6) m3
            (0x1F, "kg", 4),     // 10^(7-3) kg = 10 t
            (0x23, "d", 0),      // on time in days
            (0x27, "d", 0),      // operating time in days
            (0x2F, "W", 4),      // 10^(7-3) W
            (0x37, "J/h", 7),    // 10^7 J/h
            (0x3F, "m3/h", 1),   // 10^(7-6) m3/h
            (0x47, "m3/min", 0), // 10^(7-7) m3/min
            (0x4F, "m3/s", -2),  // 10^(7-9) m3/s
            (0x57, "kg/h", 4),   // 10^(7-3) kg/h
            (0x5B, "°C", 0),     // flow temperature 10^(3-3)
            (0x5F, "°C", 0),     // return temperature
            (0x63, "K", 0),      // temperature difference
            (0x67, "°C", 0),     // external temperature
            (0x6B, "bar", 0),    // pressure 10^(3-3) bar
            (0x73, "d", 0),      // averaging duration in days
            (0x77, "d", 0),      // actuality duration in days
        ];
        for &(code, unit, exp) in cases {
            let b = [code];
            let v = parse(&b, 0).unwrap();
            assert_eq!((v.unit(), v.exponent), (unit, exp), "VIF 0x{code:02X}");
        }
        // The first code of each range.
        assert_eq!(parse(&[0x00], 0).unwrap().exponent, -3); // mWh
        assert_eq!(parse(&[0x10], 0).unwrap().exponent, -6); // cm3
        assert_eq!(parse(&[0x48], 0).unwrap().exponent, -9);
        assert_eq!(parse(&[0x58], 0).unwrap().exponent, -3); // m°C
        assert_eq!(parse(&[0x6C], 0).unwrap().kind, Kind::Date);
        assert_eq!(parse(&[0x78], 0).unwrap().kind, Kind::Unsigned);
        // 0x6F is reserved in the primary table.
        assert_eq!(parse(&[0x6F], 0).unwrap().quantity, Quantity::Unknown);
    }

    #[test]
    fn extension_table_scales() {
        struct E {
            unit: &'static str,
            exponent: i8,
            quantity: Quantity,
            kind: Kind,
        }
        let get = |t: u8, c: u8| {
            let b = [t, c];
            let v = parse(&b, 0).unwrap();
            E {
                unit: v.unit(),
                exponent: v.exponent,
                quantity: v.quantity,
                kind: v.kind,
            }
        };
        let fb = |c: u8| get(0xFB, c);
        let fd = |c: u8| get(0xFD, c);
        assert_eq!((fb(0x01).unit, fb(0x01).exponent), ("Wh", 6)); // 10^(1-1) MWh
        assert_eq!((fb(0x09).unit, fb(0x09).exponent), ("J", 9)); // 10^(1-1) GJ
        assert_eq!((fb(0x11).unit, fb(0x11).exponent), ("m3", 3)); // 10^(1+2) m3
        assert_eq!((fb(0x19).unit, fb(0x19).exponent), ("kg", 6)); // 10^(1+2) t
        assert_eq!((fb(0x1B).unit, fb(0x1B).exponent), ("%", 0)); // relative humidity
        assert_eq!((fb(0x29).unit, fb(0x29).exponent), ("W", 6)); // 10^(1-1) MW
        assert_eq!((fb(0x31).unit, fb(0x31).exponent), ("J/h", 9)); // 10^(1-1) GJ/h
        assert_eq!((fd(0x4F).unit, fd(0x4F).exponent), ("V", 6)); // 10^(15-9) V
        assert_eq!((fd(0x5F).unit, fd(0x5F).exponent), ("A", 3)); // 10^(15-12) A
        assert_eq!((fd(0x03).unit, fd(0x03).exponent), ("currency", 0)); // credit 10^(3-3)
        assert_eq!(fd(0x74).unit, "d"); // remaining battery days
        assert_eq!(fd(0x17).quantity, Quantity::ErrorFlags);
        assert_eq!(fd(0x0E).quantity, Quantity::FirmwareVersion);
        assert_eq!(fd(0x3A).quantity, Quantity::Dimensionless);
        assert_eq!(fd(0x70).kind, Kind::Date);
        assert_eq!(fd(0x72).kind, Kind::DaylightSaving);
        assert_eq!(fd(0x7F).quantity, Quantity::Unknown);
    }

    #[test]
    fn fb_mwh_and_fd_voltage() {
        // FB 00: energy 10^(0-1) MWh = 10^5 Wh.
        let v = parse(&[0xFB, 0x00], 0).unwrap();
        assert_eq!((v.table, v.unit(), v.exponent), (Table::Fb, "Wh", 5));
        // FD 48: voltage 10^(8-9) V.
        let v = parse(&[0xFD, 0x48], 0).unwrap();
        assert_eq!(
            (v.quantity, v.unit(), v.exponent),
            (Quantity::Voltage, "V", -1)
        );
        // FD 5A: current 10^(10-12) A.
        let v = parse(&[0xFD, 0x5A], 0).unwrap();
        assert_eq!((v.quantity, v.exponent), (Quantity::Current, -2));
    }

    #[test]
    fn combinable_multiplier_and_backward_flow() {
        // Volume 10^-3 m3, VIFE 0xBC backward flow (ext), VIFE 0x74 ×10^-2.
        let v = parse(&[0x93, 0xBC, 0x74], 0).unwrap();
        assert_eq!(v.exponent, -5);
        let e: Vec<Vife> = v.extensions().collect();
        assert_eq!(
            e[0],
            Vife {
                code: 0x3C,
                extended: false
            }
        );
        assert_eq!(e.len(), 2);
        assert_eq!(v.bytes(), &[0x93, 0xBC, 0x74]);
    }

    #[test]
    fn combinable_codes_of_the_2013_table() {
        let v = |code| Vife {
            code,
            extended: false,
        };
        // 0x15–0x1C are the record error codes; 0x00–0x11 are reserved.
        assert!(v(0x18).is_error() && v(0x15).is_error() && v(0x1C).is_error());
        assert!(!v(0x01).is_error() && !v(0x12).is_error() && !v(0x1D).is_error());
        assert_eq!(
            v(0x3B).description(),
            "accumulation only if positive contributions (forward flow)"
        );
        assert!(v(0x6F).makes_date() && v(0x39).makes_date() && !v(0x68).makes_date());
        assert_eq!(v(0x73).exponent(), -3);
        assert_eq!(
            Vife {
                code: 0x02,
                extended: true
            }
            .description(),
            "at phase L2"
        );
        // The VIB 0x0A A6 18 of an m-bus-parser vector: operating time in
        // hours, flagged with a record error code.
        let b = [0xA6, 0x18];
        let vib = parse(&b, 0).unwrap();
        assert_eq!((vib.quantity, vib.unit()), (Quantity::OperatingTime, "h"));
        assert_eq!(vib.error_code(), Some(v(0x18)));
    }

    #[test]
    fn plain_text_unit() {
        let v = parse(&[0x7C, 0x03, b'S', b'L', b'B', 0x42], 0).unwrap();
        assert_eq!(v.bytes().len(), 5);
        assert_eq!(v.plain_text().unwrap().chars().collect::<String>(), "BLS");
    }

    #[test]
    fn too_many_vifes() {
        let mut b = [0xFFu8; 13];
        b[0] = 0x84;
        assert!(matches!(parse(&b, 0), Err(Error::TooManyVifes { .. })));
        assert!(matches!(
            parse(&[0x84, 0x80], 0),
            Err(Error::TruncatedVib { offset: 2 })
        ));
    }
}
