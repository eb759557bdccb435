/* cp-demo-data.c — invented names, places and organizations for demo leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-demo-data"

#include "config.h"

#include "cp-demo-data.h"

const CpDemoName _cp_demo_first_names[] = {
  { "Aaliyah", NULL }, { "Aarav", NULL }, { "Abigail", NULL }, { "Adebayo", NULL },
  { "Adriana", NULL }, { "Ahmed", NULL }, { "Aiko", NULL }, { "Aisha", NULL },
  { "Alejandro", NULL }, { "Aleksander", NULL }, { "Alexis", NULL }, { "Amara", NULL },
  { "Amelia", NULL }, { "Ana", NULL }, { "Anaïs", NULL }, { "Andrés", NULL },
  { "Angela", NULL }, { "Anjali", NULL }, { "Anthony", NULL }, { "Ariana", NULL },
  { "Arjun", NULL }, { "Astrid", NULL }, { "Beatriz", NULL }, { "Benjamin", NULL },
  { "Björn", NULL }, { "Brandon", NULL }, { "Camila", NULL }, { "Carlos", NULL },
  { "Carmen", NULL }, { "Catherine", NULL }, { "Chen", NULL }, { "Chidi", NULL },
  { "Chloé", NULL }, { "Christopher", NULL }, { "Daniel", NULL }, { "Daniela", NULL },
  { "David", NULL }, { "Deepika", NULL }, { "Diego", NULL }, { "Dmitri", NULL },
  { "Elena", NULL }, { "Elijah", NULL }, { "Elif", NULL }, { "Emily", NULL },
  { "Emma", NULL }, { "Esperanza", NULL }, { "Ethan", NULL }, { "Fatima", NULL },
  { "Felipe", NULL }, { "François", NULL }, { "Gabriel", NULL }, { "Giulia", NULL },
  { "Grace", NULL }, { "Hana", NULL }, { "Hannah", NULL }, { "Hassan", NULL },
  { "Hiroshi", NULL }, { "Ibrahim", NULL }, { "Imani", NULL }, { "Ingrid", NULL },
  { "Isabella", NULL }, { "Ivan", NULL }, { "Jacob", NULL }, { "Jamal", NULL },
  { "James", NULL }, { "Javier", NULL }, { "Jennifer", NULL }, { "Jessica", NULL },
  { "Jiho", NULL }, { "João", NULL }, { "Jordan", NULL }, { "José", NULL },
  { "Joseph", NULL }, { "Juan", NULL }, { "Julia", NULL }, { "Kai", NULL },
  { "Kateryna", NULL }, { "Kenji", NULL }, { "Kwame", NULL }, { "Lars", NULL },
  { "Laura", NULL }, { "Layla", NULL }, { "Leila", NULL }, { "Liam", NULL },
  { "Lucía", NULL }, { "Luis", NULL }, { "Łukasz", NULL }, { "Madison", NULL },
  { "Malik", NULL }, { "Manon", NULL }, { "María", NULL }, { "Mariana", NULL },
  { "Mateo", NULL }, { "Matthew", NULL }, { "Maya", NULL }, { "Mehmet", NULL },
  { "Mei", NULL }, { "Michael", NULL }, { "Miguel", NULL }, { "Mohammed", NULL },
  { "Nadia", NULL }, { "Naledi", NULL }, { "Naomi", NULL }, { "Nathan", NULL },
  { "Nia", NULL }, { "Nikolai", NULL }, { "Noah", NULL }, { "Nour", NULL },
  { "Olivia", NULL }, { "Omar", NULL }, { "Oluwaseun", NULL }, { "Øyvind", NULL },
  { "Pablo", NULL }, { "Paula", NULL }, { "Priya", NULL }, { "Rafael", NULL },
  { "Rahul", NULL }, { "Ramón", NULL }, { "Rania", NULL }, { "Rebecca", NULL },
  { "Renée", NULL }, { "Ricardo", NULL }, { "Rosa", NULL }, { "Ryan", NULL },
  { "Sakura", NULL }, { "Samuel", NULL }, { "Santiago", NULL }, { "Sara", NULL },
  { "Sebastián", NULL }, { "Seo-yeon", NULL }, { "Siobhán", NULL }, { "Sofía", NULL },
  { "Sophia", NULL }, { "Tariq", NULL }, { "Thảo", NULL }, { "Thomas", NULL },
  { "Tomás", NULL }, { "Valentina", NULL }, { "Victoria", NULL }, { "Wei", NULL },
  { "William", NULL }, { "Xavier", NULL }, { "Yasmin", NULL }, { "Yusuf", NULL },
  { "Zainab", NULL }, { "Zoë", NULL }, { "Zoltán", NULL },
  /* A few in other scripts, as intake staff do receive them. */
  { "Дмитрий", "dmitriy" }, { "Άννα", "anna" }, { "محمد", "muhammad" },
  { "美玲", "meiling" }, { "さくら", "sakura" }, { "अनन्या", "ananya" },
};
const guint _cp_demo_n_first_names = G_N_ELEMENTS (_cp_demo_first_names);

const CpDemoName _cp_demo_last_names[] = {
  { "Abara", NULL }, { "Adeyemi", NULL }, { "Ahmed", NULL }, { "Alvarez", NULL },
  { "Andersen", NULL }, { "Bakker", NULL }, { "Banerjee", NULL }, { "Becker", NULL },
  { "Bergström", NULL }, { "Brown", NULL }, { "Castillo", NULL }, { "Chen", NULL },
  { "Chowdhury", NULL }, { "Clarke", NULL }, { "Costa", NULL }, { "Cruz", NULL },
  { "Dang", NULL }, { "da Silva", NULL }, { "Davies", NULL }, { "Díaz", NULL },
  { "Dubois", NULL }, { "Duarte", NULL }, { "Eriksen", NULL }, { "Evans", NULL },
  { "Fernández", NULL }, { "Fischer", NULL }, { "Flores", NULL }, { "Fontaine", NULL },
  { "García", NULL }, { "Ghosh", NULL }, { "Gómez", NULL }, { "González", NULL },
  { "Gupta", NULL }, { "Haddad", NULL }, { "Hansen", NULL }, { "Harris", NULL },
  { "Hernández", NULL }, { "Hoang", NULL }, { "Hughes", NULL }, { "Ibrahim", NULL },
  { "Ivanova", NULL }, { "Jackson", NULL }, { "Jensen", NULL }, { "Johansson", NULL },
  { "Johnson", NULL }, { "Kaur", NULL }, { "Khan", NULL }, { "Kim", NULL },
  { "Kowalski", NULL }, { "Kumar", NULL }, { "Larsen", NULL }, { "Le", NULL },
  { "Lee", NULL }, { "Lewis", NULL }, { "Li", NULL }, { "Lindqvist", NULL },
  { "López", NULL }, { "Martin", NULL }, { "Martínez", NULL }, { "Mendoza", NULL },
  { "Meyer", NULL }, { "Miller", NULL }, { "Moreau", NULL }, { "Morales", NULL },
  { "Müller", NULL }, { "Murphy", NULL }, { "Nakamura", NULL }, { "Nguyễn", NULL },
  { "Novak", NULL }, { "Nowak", NULL }, { "Núñez", NULL }, { "O'Brien", NULL },
  { "O'Connor", NULL }, { "Okafor", NULL }, { "Okonkwo", NULL }, { "Olsen", NULL },
  { "Ortiz", NULL }, { "Owusu", NULL }, { "Park", NULL }, { "Patel", NULL },
  { "Pereira", NULL }, { "Perez", NULL }, { "Petrov", NULL }, { "Phạm", NULL },
  { "Popescu", NULL }, { "Quinn", NULL }, { "Ramírez", NULL }, { "Ramos", NULL },
  { "Reddy", NULL }, { "Reyes", NULL }, { "Richter", NULL }, { "Rivera", NULL },
  { "Robinson", NULL }, { "Rodríguez", NULL }, { "Rossi", NULL }, { "Russo", NULL },
  { "Sánchez", NULL }, { "Santos", NULL }, { "Sato", NULL }, { "Schmidt", NULL },
  { "Schneider", NULL }, { "Shah", NULL }, { "Singh", NULL }, { "Smith", NULL },
  { "Sokolov", NULL }, { "Suzuki", NULL }, { "Takahashi", NULL }, { "Tanaka", NULL },
  { "Taylor", NULL }, { "Thompson", NULL }, { "Torres", NULL }, { "Tran", NULL },
  { "Trần", NULL }, { "van der Berg", NULL }, { "Vargas", NULL }, { "Vasquez", NULL },
  { "Volkov", NULL }, { "Walker", NULL }, { "Wang", NULL }, { "Watanabe", NULL },
  { "Weber", NULL }, { "White", NULL }, { "Williams", NULL }, { "Wilson", NULL },
  { "Wójcik", NULL }, { "Wright", NULL }, { "Yamamoto", NULL }, { "Yang", NULL },
  { "Yılmaz", NULL }, { "Young", NULL }, { "Zhang", NULL }, { "Zhou", NULL },
  { "Ziegler", NULL }, { "Žukauskas", NULL }, { "Østergaard", NULL }, { "Ó Briain", NULL },
  { "Иванов", "ivanov" }, { "Παπαδόπουλος", "papadopoulos" }, { "王", "wang" },
  { "佐藤", "sato" }, { "حداد", "haddad" },
};
const guint _cp_demo_n_last_names = G_N_ELEMENTS (_cp_demo_last_names);

/* Plausible town names with ZIP codes from the ranges of their regions;
 * the phone area codes are only used with the fictional 555-01xx lines. */
const CpDemoLocation _cp_demo_locations[] = {
  { "Riverside", "Midwest", "60546", "708" },
  { "Oak Park", "Midwest", "60302", "312" },
  { "Lakeview", "Midwest", "49503", "616" },
  { "Cedar Falls", "Midwest", "50613", "319" },
  { "Maple Grove", "Midwest", "55311", "763" },
  { "Harbor Point", "Northeast", "02110", "617" },
  { "Brookfield", "Northeast", "06804", "203" },
  { "Stonebridge", "Northeast", "19103", "215" },
  { "Willow Creek", "West", "95401", "707" },
  { "Pine Ridge", "Mountain", "80401", "303" },
  { "Fairview", "South", "37062", "615" },
  { "Magnolia Springs", "South", "36555", "251" },
};
const guint _cp_demo_n_locations = G_N_ELEMENTS (_cp_demo_locations);

const CpDemoOrganization _cp_demo_organizations[] = {
  { "Cedar Valley Family Clinic", "clinic", CP_DEMO_ORG_REFERRAL },
  { "Northgate Physician Group", "physician_group", CP_DEMO_ORG_REFERRAL },
  { "Lakeshore Pediatric Associates", "physician_group", CP_DEMO_ORG_REFERRAL },
  { "Bluebird Community Clinic", "clinic", CP_DEMO_ORG_REFERRAL },
  { "Riverbend Internal Medicine", "physician_group", CP_DEMO_ORG_REFERRAL },
  { "Summit Women's Health Partners", "clinic", CP_DEMO_ORG_REFERRAL },
  { "Prairie Heart & Vascular", "physician_group", CP_DEMO_ORG_REFERRAL },
  { "Harborview Orthopedic Group", "physician_group", CP_DEMO_ORG_REFERRAL },
  { "Greenleaf Behavioral Health", "clinic", CP_DEMO_ORG_REFERRAL },
  { "Three Rivers Health System", "hospital_system", CP_DEMO_ORG_B2B },
  { "Meridian Regional Medical Center", "hospital_system", CP_DEMO_ORG_B2B },
  { "Keystone Valley Health", "hospital_system", CP_DEMO_ORG_B2B },
  { "Evergreen Health Plan", "health_plan", CP_DEMO_ORG_B2B },
  { "Beacon Mutual Health Plan", "health_plan", CP_DEMO_ORG_B2B },
  { "Crestline Community Health Plan", "health_plan", CP_DEMO_ORG_B2B },
  { "Ironwood Manufacturing", "employer", CP_DEMO_ORG_B2B },
  { "Bright Harbor Logistics", "employer", CP_DEMO_ORG_B2B },
  { "Tallgrass School District", "employer", CP_DEMO_ORG_B2B },
  { "Silverline Foods Co-op", "employer", CP_DEMO_ORG_B2B },
  { "Copperfield Clinics Network", "clinic", CP_DEMO_ORG_B2B },
  { "Golden Oaks Senior Living", "senior_living", CP_DEMO_ORG_LOCAL },
  { "Sunrise Meadows Retirement Community", "senior_living", CP_DEMO_ORG_LOCAL },
  { "Hearthstone Home Health", "home_health", CP_DEMO_ORG_LOCAL },
  { "Kindred Hands Home Care", "home_health", CP_DEMO_ORG_LOCAL },
  { "Maple Street Wellness Pharmacy", "other", CP_DEMO_ORG_LOCAL },
  { "Riverside YMCA Health Hub", "other", CP_DEMO_ORG_LOCAL },
};
const guint _cp_demo_n_organizations = G_N_ELEMENTS (_cp_demo_organizations);

const char * const _cp_demo_staff[] = {
  "Dana Whitfield", "Marcus Ortega", "Priya Raman", "Elena Sokol",
  "Jamal Carter", "Hanna Lindahl", "Tomás Rey", "Grace Okoye",
};
const guint _cp_demo_n_staff = G_N_ELEMENTS (_cp_demo_staff);

const char * const _cp_demo_campaigns[] = {
  "spring_wellness_2026", "fall_flu_clinic", "new_patient_welcome", "heart_month",
  "back_to_school_checkups", "employer_wellness_webinar", "senior_care_open_house",
};
const guint _cp_demo_n_campaigns = G_N_ELEMENTS (_cp_demo_campaigns);
