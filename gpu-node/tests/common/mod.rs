pub mod oci_image;
