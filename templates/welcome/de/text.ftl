Hallo,

Ihr Konto ${user_id} ist bereit. Schön, dass Sie dabei sind.

-- 
Ihr Stream-Routes-Team
