/** Personal information in transit: the phone's own values, their forms, the search of requests, masking. */
export { PiSearch, SEARCH_CAP_BYTES, type PiRequest, type PiSearchResult, type BodySearch, type BodyNote } from './pi-search.js';
export { needlesFor, MIN_VALUE_CHARS, PACKAGE_LIST_MIN, type Needle, type SkippedValue, type SkipReason } from './forms.js';
export { maskValue, maskDigest, maskLocation, maskPackageList } from './mask.js';
export { readPhoneValues, COMMANDS as PHONE_VALUE_COMMANDS, type ReadValue, type PhoneValueReading, type ReadPhoneValuesOptions } from './phone-values.js';
